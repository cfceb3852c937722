package org.ebpfosgi.runtime.shell;

import org.ebpfosgi.api.runtime.Inventory;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo command {@code ebpf:inventory}: what is registered now, one kind per line. */
@Component(service = InventoryCommand.class, property = {
        "osgi.command.scope=ebpf",
        "osgi.command.function=inventory"})
public final class InventoryCommand {
    @Reference
    private Inventory inventory;

    public String inventory() {
        return "engines:       " + String.join(", ", inventory.engines()) + "\n"
                + "verifiers:     " + String.join(", ", inventory.verifiers()) + "\n"
                + "program types: " + String.join(", ", inventory.programTypes()) + "\n"
                + "map types:     " + String.join(", ", inventory.mapTypes()) + "\n"
                + "helpers:       " + String.join(", ", inventory.helpers());
    }
}

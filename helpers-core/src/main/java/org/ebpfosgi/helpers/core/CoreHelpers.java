package org.ebpfosgi.helpers.core;

import java.util.List;
import org.ebpfosgi.api.helper.Helper;
import org.ebpfosgi.helpers.core.internal.CoreHelperSet;

/**
 * The core helpers outside OSGi (embedding, tests): in a framework the same helpers arrive as
 * {@link Helper} services, one per helper, registered by this bundle.
 */
public final class CoreHelpers {
    private CoreHelpers() {
    }

    /** A new instance of every core helper, ordered by Linux id, the name-resolved ones last. */
    public static List<Helper> all() {
        return CoreHelperSet.create();
    }
}

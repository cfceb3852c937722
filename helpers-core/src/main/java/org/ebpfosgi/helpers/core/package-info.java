/**
 * The general helpers with Linux ids (maps, time, random, tracing, strings, ring buffers, loops, tail
 * calls). Each is a {@link org.ebpfosgi.api.helper.Helper} service of this bundle; {@link
 * org.ebpfosgi.helpers.core.CoreHelpers} hands them out to code that runs without a framework.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.ebpfosgi.helpers.core;

/** Map implementations: storage, concurrency and Linux's checks. Not exported. */
package org.ebpfosgi.maps.internal;

package org.ebpfosgi.maps.internal;

import static org.ebpfosgi.api.map.MapException.EINVAL;
import static org.ebpfosgi.api.map.MapException.ENOENT;
import static org.ebpfosgi.api.map.MapException.ENOSPC;
import static org.ebpfosgi.maps.internal.MapTypes.F_NO_PREALLOC;
import static org.ebpfosgi.maps.internal.MapTypes.F_NUMA_NODE;
import static org.ebpfosgi.maps.internal.MapTypes.KMALLOC_MAX_SIZE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpfosgi.api.map.MapDefinition;
import org.ebpfosgi.api.memory.Region;

/**
 * {@code lpm_trie} (type 11): longest-prefix match over keys {@code struct bpf_lpm_trie_key_u8}
 * ({@code u32 prefixlen}, then {@code key_size - 4} data bytes, compared most significant bit first).
 *
 * <p>A path-compressed binary trie shaped as Linux's: real nodes carry a value, intermediate nodes
 * only join two subtrees. Readers walk it without locks; writers (serialised) change it by
 * publishing one fully built node or one child pointer at a time, so a reader sees each change
 * whole. Get-next-key is Linux's post-order: a longer prefix before the prefix containing it, and
 * at the first differing bit the 0 side first; a null or absent key starts from the first.
 */
public final class LpmTrieMap extends BaseMap {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int DATA_MAX = 256;

    private final int dataSize;
    private final int maxPrefixLen;
    private volatile Node root;
    /** Real (non-intermediate) nodes. Guarded by this. */
    private long entries;

    private static final class Node {
        final int prefixLen;
        final byte[] data;
        final byte[] value;
        final Region region;
        /** Set once, when a deleted node with two children stays as a junction. */
        volatile boolean intermediate;
        volatile Node child0;
        volatile Node child1;

        Node(int prefixLen, byte[] data, byte[] value, Region region, boolean intermediate) {
            this.prefixLen = prefixLen;
            this.data = data;
            this.value = value;
            this.region = region;
            this.intermediate = intermediate;
        }

        Node child(int bit) {
            return bit == 0 ? child0 : child1;
        }

        void setChild(int bit, Node n) {
            if (bit == 0) {
                child0 = n;
            } else {
                child1 = n;
            }
        }
    }

    private LpmTrieMap(MapDefinition d) {
        super(d);
        this.dataSize = d.keySize() - 4;
        this.maxPrefixLen = 8 * dataSize;
    }

    /** Linux's {@code trie_alloc} checks; note that Linux requires {@code BPF_F_NO_PREALLOC}. */
    public static LpmTrieMap create(MapDefinition d) {
        Definitions.expectType(d, MapTypes.LPM_TRIE);
        if (d.maxEntries() == 0) {
            throw Definitions.invalid(d, "max_entries is 0");
        }
        if ((d.flags() & F_NO_PREALLOC) == 0) {
            throw Definitions.invalid(d, "LPM tries must be created with BPF_F_NO_PREALLOC");
        }
        Definitions.checkFlags(d, F_NO_PREALLOC | F_NUMA_NODE | Definitions.accessFlags());
        long keySize = Definitions.unsigned(d.keySize());
        if (keySize < 4 + 1 || keySize > 4 + DATA_MAX) {
            throw Definitions.invalid(d, "key_size must be 4 (prefixlen) + 1.." + DATA_MAX + " data bytes");
        }
        long valueSize = Definitions.unsigned(d.valueSize());
        if (valueSize < 1 || valueSize > KMALLOC_MAX_SIZE - DATA_MAX - 64) {
            throw Definitions.invalid(d, "value_size out of range");
        }
        return new LpmTrieMap(d);
    }

    private static int prefixLen(byte[] key, int off) {
        return (int) INT.get(key, off);
    }

    private static int bit(byte[] data, int dataOff, int index) {
        return (data[dataOff + (index >>> 3)] >>> (7 - (index & 7))) & 1;
    }

    /** Bits the node and the key have in common, up to the shorter of the two prefixes. */
    private int matchLen(Node node, byte[] key, int keyOff, int keyPrefixLen) {
        int limit = Math.min(node.prefixLen, Integer.compareUnsigned(keyPrefixLen, maxPrefixLen) > 0 ? maxPrefixLen : keyPrefixLen);
        int matched = 0;
        for (int i = 0; matched < limit; i++) {
            int diff = (node.data[i] ^ key[keyOff + 4 + i]) & 0xFF;
            if (diff != 0) {
                matched += Integer.numberOfLeadingZeros(diff) - 24;
                break;
            }
            matched += 8;
        }
        return Math.min(matched, limit);
    }

    @Override
    public Region lookupRegion(byte[] key) {
        checkKey(key);
        Node n = longestMatch(key, 0);
        return n == null ? null : n.region;
    }

    @Override
    public Region lookupRegion(byte[] keyArray, int keyOffset) {
        checkKeyAt(keyArray, keyOffset);
        Node n = longestMatch(keyArray, keyOffset);
        return n == null ? null : n.region;
    }

    private Node longestMatch(byte[] key, int off) {
        int keyPrefixLen = prefixLen(key, off);
        Node found = null;
        for (Node node = root; node != null; ) {
            int matched = matchLen(node, key, off, keyPrefixLen);
            if (matched == maxPrefixLen) {
                // A full-length match is the longest possible; but it must be a real node.
                return node.intermediate ? found : node;
            }
            if (matched < node.prefixLen) {
                break;
            }
            if (!node.intermediate) {
                found = node;
            }
            node = node.child(bit(key, off + 4, node.prefixLen));
        }
        return found;
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        ensureOpen();
        checkKey(key);
        Node n = longestMatch(key, 0);
        return n == null ? Optional.empty() : Optional.of(n.value.clone());
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        ensureOpen();
        checkKey(key);
        checkUpdateFlags(flags);
        checkValue(value);
        int keyPrefixLen = prefixLen(key, 0);
        if (Integer.compareUnsigned(keyPrefixLen, maxPrefixLen) > 0) {
            throw error(EINVAL, "prefixlen " + Integer.toUnsignedString(keyPrefixLen) + " above " + maxPrefixLen);
        }
        byte[] data = java.util.Arrays.copyOfRange(key, 4, 4 + dataSize);
        byte[] bytes = value.clone();
        Node fresh = new Node(keyPrefixLen, data, bytes, Region.of(Region.Kind.MAP_VALUE, name, bytes), false);
        synchronized (this) {
            Node parent = null;
            int parentBit = 0;
            Node node = root;
            int matched = 0;
            while (node != null) {
                matched = matchLen(node, key, 0, keyPrefixLen);
                if (node.prefixLen != matched || node.prefixLen == keyPrefixLen) {
                    break;
                }
                parent = node;
                parentBit = bit(data, 0, node.prefixLen);
                node = node.child(parentBit);
            }
            boolean exists = node != null && node.prefixLen == matched && node.prefixLen == keyPrefixLen && !node.intermediate;
            checkExistence(exists, flags);
            if (!exists && entries >= maxEntries) {
                throw error(ENOSPC, "full (max_entries " + maxEntries + ")");
            }
            if (!exists) {
                entries++;
            }
            if (node == null) {
                publish(parent, parentBit, fresh);
            } else if (node.prefixLen == matched && node.prefixLen == keyPrefixLen) {
                // Same prefix: the new node takes over the old one's children and place.
                fresh.child0 = node.child0;
                fresh.child1 = node.child1;
                publish(parent, parentBit, fresh);
            } else if (matched == keyPrefixLen) {
                // The new prefix contains the node: it becomes the node's parent.
                fresh.setChild(bit(node.data, 0, matched), node);
                publish(parent, parentBit, fresh);
            } else {
                // They diverge at bit 'matched': a junction holds both.
                Node junction = new Node(matched, node.data, null, null, true);
                if (bit(data, 0, matched) == 1) {
                    junction.child0 = node;
                    junction.child1 = fresh;
                } else {
                    junction.child0 = fresh;
                    junction.child1 = node;
                }
                publish(parent, parentBit, junction);
            }
        }
    }

    private void publish(Node parent, int bit, Node n) {
        if (parent == null) {
            root = n;
        } else {
            parent.setChild(bit, n);
        }
    }

    @Override
    public void delete(byte[] key) {
        ensureOpen();
        checkKey(key);
        int keyPrefixLen = prefixLen(key, 0);
        if (Integer.compareUnsigned(keyPrefixLen, maxPrefixLen) > 0) {
            throw error(EINVAL, "prefixlen " + Integer.toUnsignedString(keyPrefixLen) + " above " + maxPrefixLen);
        }
        synchronized (this) {
            Node grandParent = null;
            int grandParentBit = 0;
            Node parent = null;
            int parentBit = 0;
            Node node = root;
            while (node != null) {
                int matched = matchLen(node, key, 0, keyPrefixLen);
                if (node.prefixLen != matched || node.prefixLen == keyPrefixLen) {
                    break;
                }
                grandParent = parent;
                grandParentBit = parentBit;
                parent = node;
                parentBit = bit(key, 4, node.prefixLen);
                node = node.child(parentBit);
            }
            if (node == null || node.prefixLen != keyPrefixLen || node.intermediate
                    || matchLen(node, key, 0, keyPrefixLen) != keyPrefixLen) {
                throw error(ENOENT, "no such prefix");
            }
            entries--;
            Node c0 = node.child0;
            Node c1 = node.child1;
            if (c0 != null && c1 != null) {
                node.intermediate = true; // still joins its two subtrees
                return;
            }
            if (parent != null && parent.intermediate && c0 == null && c1 == null) {
                // A leaf under a junction: the junction's other child takes the junction's place.
                publish(grandParent, grandParentBit, parentBit == 0 ? parent.child1 : parent.child0);
                return;
            }
            publish(parent, parentBit, c0 != null ? c0 : c1);
        }
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        ensureOpen();
        Node top = root;
        if (top == null) {
            return Optional.empty();
        }
        if (key == null) {
            return Optional.of(keyOf(leftmost(top)));
        }
        checkKey(key);
        int keyPrefixLen = prefixLen(key, 0);
        if (Integer.compareUnsigned(keyPrefixLen, maxPrefixLen) > 0) {
            return Optional.of(keyOf(leftmost(top)));
        }
        // The path from the root to the key's node.
        List<Node> path = new ArrayList<>();
        Node node = top;
        while (node != null) {
            int matched = matchLen(node, key, 0, keyPrefixLen);
            if (node.prefixLen != matched) {
                break;
            }
            path.add(node);
            if (node.prefixLen == keyPrefixLen) {
                break;
            }
            node = node.child(bit(key, 4, node.prefixLen));
        }
        if (path.isEmpty()) {
            return Optional.of(keyOf(leftmost(top)));
        }
        Node found = path.get(path.size() - 1);
        if (found.prefixLen != keyPrefixLen || found.intermediate) {
            return Optional.of(keyOf(leftmost(top)));
        }
        // Post-order successor: the parent's right subtree if we came from the left, else the parent.
        for (int i = path.size() - 1; i > 0; i--) {
            Node child = path.get(i);
            Node parent = path.get(i - 1);
            Node right = parent.child1;
            if (parent.child0 == child && right != null) {
                return Optional.of(keyOf(leftmost(right)));
            }
            if (!parent.intermediate) {
                return Optional.of(keyOf(parent));
            }
        }
        return Optional.empty();
    }

    /** The first node of a subtree in post-order (a leaf, so a real node). */
    private static Node leftmost(Node n) {
        while (true) {
            Node c0 = n.child0;
            Node next = c0 != null ? c0 : n.child1;
            if (next == null) {
                return n;
            }
            n = next;
        }
    }

    private byte[] keyOf(Node n) {
        byte[] k = new byte[keySize];
        INT.set(k, 0, n.prefixLen);
        System.arraycopy(n.data, 0, k, 4, dataSize);
        return k;
    }

    @Override
    public void close() {
        super.close();
        synchronized (this) {
            root = null;
            entries = 0;
        }
    }
}

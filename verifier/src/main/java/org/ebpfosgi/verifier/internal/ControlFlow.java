package org.ebpfosgi.verifier.internal;

import static org.ebpfosgi.isa.Opcodes.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ebpfosgi.isa.Instruction;

/**
 * The control-flow graph with every local call inlined, as PREVAIL does: a node is an instruction in a
 * call context (the chain of call sites that led to it), so each call site analyses its callee with
 * its own arguments. Nodes are numbered in reverse post-order; targets of back edges are loop heads,
 * where the fixpoint widens.
 */
final class ControlFlow {
    /** A call context: the caller's context, the call instruction, and the frame depth (0 = the program). */
    record Context(int parent, int callSite, int depth) {
    }

    enum EdgeKind { NEXT, TAKEN, NOT_TAKEN, CALL, RETURN }

    record Edge(int to, EdgeKind kind) {
    }

    static final int MAX_NODES = 200_000;
    /** Nested local calls below the program: 8 frames in all, Linux's MAX_CALL_FRAMES (the engines allow one more). */
    static final int MAX_DEPTH = 7;

    final Instruction[] code;
    final List<Context> contexts = new ArrayList<>();
    /** Node number to (context, pc). */
    int[] nodeContext;
    int[] nodePc;
    List<List<Edge>> successors;
    boolean[] loopHead;
    /** Node of (context, pc): key context * length + pc. */
    private final Map<Long, Integer> nodeOf = new HashMap<>();
    /** A structural problem found while building: its pc and message. */
    int problemPc = -1;
    String problem;

    /** PREVAIL's test convention: reaching this pc, just past the program, is its exit (-1: no such convention). */
    private final int endPc;
    private final boolean endIsExit;
    /** PREVAIL's {@code assume}: conditional jumps whose taken edge is the only one. */
    private final java.util.Set<Integer> assumptions;

    ControlFlow(Instruction[] code, int endPc, java.util.Set<Integer> assumptions) {
        this.code = code;
        this.endPc = endPc;
        this.endIsExit = endPc >= 0;
        this.assumptions = assumptions;
    }

    /** Whether node x is the exit past the end of the code (test convention). */
    boolean isEnd(int x) {
        return nodePc[x] == endPc;
    }

    private long key(int context, int pc) {
        return (long) context * (code.length + 1) + pc;
    }

    int node(int context, int pc) {
        Integer n = nodeOf.get(key(context, pc));
        return n == null ? -1 : n;
    }

    int nodeCount() {
        return nodePc.length;
    }

    /** Builds the graph from the entry; returns false (with {@link #problem}) if it cannot be built. */
    boolean build() {
        contexts.add(new Context(-1, -1, 0));
        // Depth-first discovery without recursion: post-order gives the iteration order, edges to a
        // node still on the path mark loop heads.
        List<long[]> discovered = new ArrayList<>();
        Map<Long, Integer> temp = new HashMap<>();
        List<List<long[]>> tempEdges = new ArrayList<>();
        List<Integer> postOrder = new ArrayList<>();
        java.util.BitSet onPath = new java.util.BitSet();
        java.util.BitSet finished = new java.util.BitSet();
        java.util.BitSet head = new java.util.BitSet();
        Deque<int[]> path = new ArrayDeque<>(); // {node, next edge index}
        int root = create(0, 0, discovered, temp, tempEdges);
        path.push(new int[] {root, 0});
        onPath.set(root);
        while (!path.isEmpty() && problem == null) {
            int[] top = path.peek();
            List<long[]> edges = tempEdges.get(top[0]);
            if (top[1] < edges.size()) {
                long[] e = edges.get(top[1]++);
                int succ = create((int) e[0], (int) e[1], discovered, temp, tempEdges);
                e[3] = succ;
                if (onPath.get(succ)) {
                    head.set(succ);
                } else if (!finished.get(succ)) {
                    path.push(new int[] {succ, 0});
                    onPath.set(succ);
                }
                if (discovered.size() > MAX_NODES) {
                    fail(0, "the program is too large to analyse (more than " + MAX_NODES
                            + " instructions with calls inlined)");
                }
            } else {
                path.pop();
                onPath.clear(top[0]);
                finished.set(top[0]);
                postOrder.add(top[0]);
            }
        }
        if (problem != null) {
            return false;
        }
        int n = postOrder.size();
        int[] order = new int[discovered.size()];
        for (int i = 0; i < n; i++) {
            order[postOrder.get(n - 1 - i)] = i;
        }
        nodeContext = new int[n];
        nodePc = new int[n];
        loopHead = new boolean[n];
        successors = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            successors.add(null);
        }
        for (int t = 0; t < n; t++) {
            int i = order[t];
            nodeContext[i] = (int) discovered.get(t)[0];
            nodePc[i] = (int) discovered.get(t)[1];
            loopHead[i] = head.get(t);
            nodeOf.put(key(nodeContext[i], nodePc[i]), i);
            List<Edge> out = new ArrayList<>();
            for (long[] e : tempEdges.get(t)) {
                out.add(new Edge(order[(int) e[3]], EdgeKind.values()[(int) e[2]]));
            }
            successors.set(i, out);
        }
        return true;
    }

    /** The temporary node of (context, pc), created with its outgoing edges {context, pc, kind, node} if new. */
    private int create(int context, int pc, List<long[]> discovered, Map<Long, Integer> temp, List<List<long[]>> tempEdges) {
        long key = key(context, pc);
        Integer known = temp.get(key);
        if (known != null) {
            return known;
        }
        int id = discovered.size();
        temp.put(key, id);
        discovered.add(new long[] {context, pc});
        List<long[]> edges = new ArrayList<>(2);
        tempEdges.add(edges);
        if (pc == endPc) {
            return id; // the exit past the end (test convention): no successor
        }
        Instruction insn = code[pc];
        if (insn == null) {
            fail(pc, "jump into the middle of an instruction");
            return id;
        }
        int next = pc + insn.slotCount();
        Context c = contexts.get(context);
        if (insn.isExit()) {
            if (c.depth() > 0) {
                edge(edges, c.parent(), c.callSite() + 1, EdgeKind.RETURN);
            }
            return id;
        }
        if (insn.isLocalCall()) {
            int target = insn.targetSlot();
            for (int ctx = context; ctx > 0; ctx = contexts.get(ctx).parent()) {
                if (code[contexts.get(ctx).callSite()].targetSlot() == target) {
                    fail(pc, "recursive call to the function at " + target + " (not allowed: the stack is bounded)");
                    return id;
                }
            }
            if (c.depth() + 1 > MAX_DEPTH) {
                fail(pc, "too many call stack frames (at most " + (MAX_DEPTH + 1) + ")");
                return id;
            }
            if (next >= code.length) {
                fail(pc, "the last instruction falls through past the end of the program");
                return id;
            }
            contexts.add(new Context(context, pc, c.depth() + 1));
            edge(edges, contexts.size() - 1, target, EdgeKind.CALL);
            return id;
        }
        if (insn.isJump()) {
            if (insn.operation() == JA) {
                edge(edges, context, insn.targetSlot(), EdgeKind.NEXT);
                return id;
            }
            if (next >= code.length && !endIsExit) {
                fail(pc, "the last instruction falls through past the end of the program");
                return id;
            }
            edge(edges, context, insn.targetSlot(), EdgeKind.TAKEN);
            if (!assumptions.contains(pc)) {
                edge(edges, context, next, EdgeKind.NOT_TAKEN);
            }
            return id;
        }
        if (next >= code.length && !endIsExit) {
            fail(pc, "the last instruction falls through past the end of the program");
            return id;
        }
        edge(edges, context, next, EdgeKind.NEXT);
        return id;
    }

    private static void edge(List<long[]> edges, int context, int pc, EdgeKind kind) {
        edges.add(new long[] {context, pc, kind.ordinal(), -1});
    }

    private void fail(int pc, String message) {
        if (problem == null) {
            problemPc = pc;
            problem = message;
        }
    }
}

package dev.engram.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A space searched exhaustively over its record's vectors: what a reader uses while the space's
 * vector index disagrees with the record and only a writer may repair it ({@link SpaceIndexes}).
 * Exact, so never wrong, and linear in the traces, so slower on large spaces.
 */
public final class ExactIndex implements VectorIndex {
    private final Metric metric;
    private final List<Trace> traces;

    public ExactIndex(Metric metric, List<Trace> traces) {
        this.metric = metric;
        this.traces = List.copyOf(traces);
    }

    @Override
    public long committedCount() {
        return traces.size();
    }

    @Override
    public void add(List<Trace> added) {
        throw new IllegalStateException("an exact search stands in for an index a reader may not repair");
    }

    @Override
    public void delete(java.util.Collection<Long> traceIds) {
        add(List.of());
    }

    @Override
    public void rebuild(Iterable<Trace> all) {
        add(List.of());
    }

    @Override
    public List<Neighbour> search(float[] vector, int k) {
        if (k <= 0) {
            return List.of();
        }
        // The k nearest so far, farthest on top; ties go to the older trace, as ids ascend.
        Comparator<Neighbour> nearerFirst = Comparator.comparingDouble(Neighbour::distance)
                .thenComparingLong(Neighbour::traceId);
        PriorityQueue<Neighbour> best = new PriorityQueue<>(k + 1, nearerFirst.reversed());
        for (Trace t : traces) {
            best.add(new Neighbour(t.id(), metric.distance(vector, t.vector())));
            if (best.size() > k) {
                best.poll();
            }
        }
        List<Neighbour> nearest = new ArrayList<>(best);
        nearest.sort(nearerFirst);
        return nearest;
    }

    @Override
    public void close() {
        // Holds only memory.
    }
}

package dev.engram.store;

import java.time.Instant;

/** A link between a concept and a trace, with its Hebbian weight and how often it was bound. */
public record Association(long conceptId, long traceId, AssociationKind kind, double weight, int count,
                          Instant firstAt, Instant lastAt) {

    /**
     * The association after {@code binding} at {@code time}: the first binding of a pair
     * ({@code existing} null) starts from weight 0; every binding strengthens it by the
     * Hebbian rule, counts once more, and keeps the stronger kind of evidence
     * ({@link AssociationKind#strongest}). Backends store what this returns.
     */
    public static Association bound(Association existing, Binding binding, Instant time) {
        if (existing == null) {
            return new Association(binding.conceptId(), binding.traceId(), binding.kind(),
                    Hebbian.strengthen(0, binding.rate()), 1, time, time);
        }
        if (existing.conceptId() != binding.conceptId() || existing.traceId() != binding.traceId()) {
            throw new IllegalArgumentException("binding " + binding + " is not for association " + existing);
        }
        return new Association(existing.conceptId(), existing.traceId(), existing.kind().strongest(binding.kind()),
                Hebbian.strengthen(existing.weight(), binding.rate()), existing.count() + 1, existing.firstAt(), time);
    }
}

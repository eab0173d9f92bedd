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

    /**
     * Two records of one pair joined (another store's record imported into this one): the
     * stronger kind, the larger weight and count, the times spanning both. Joining is idempotent
     * (a record joined twice, or with itself, changes nothing), so importing the same export
     * again changes nothing; two stores that learnt the same pair independently keep the
     * stronger record, not a sum that would count a shared history twice.
     */
    public static Association merged(Association a, Association b) {
        if (a.conceptId() != b.conceptId() || a.traceId() != b.traceId()) {
            throw new IllegalArgumentException("association " + b + " is not for the pair of " + a);
        }
        return new Association(a.conceptId(), a.traceId(), a.kind().strongest(b.kind()), Math.max(a.weight(), b.weight()),
                Math.max(a.count(), b.count()), earlier(a.firstAt(), b.firstAt()), later(a.lastAt(), b.lastAt()));
    }

    private static Instant earlier(Instant x, Instant y) {
        return x == null ? y : y == null || !y.isBefore(x) ? x : y;
    }

    private static Instant later(Instant x, Instant y) {
        return x == null ? y : y == null || !y.isAfter(x) ? x : y;
    }
}

package dev.engram.store;

import java.time.Instant;

/**
 * A concept node; unnamed concepts (formed by synchrony alone) have a null name, a concept
 * without a parent has {@code parentId} 0. {@code createdAt} is when it was first recorded
 * (null where it does not matter: a concept made up to be looked up or compared by id).
 */
public record Concept(long id, String name, long parentId, Instant createdAt) {

    public Concept(long id, String name, long parentId) {
        this(id, name, parentId, null);
    }

    /** The name a user types: the concept's name, or {@code #id} for an unnamed one. */
    public String label() {
        return name != null ? name : "#" + id;
    }
}

package dev.engram.store;

/** A concept node; unnamed concepts (formed by synchrony alone) have a null name. */
public record Concept(long id, String name, long parentId) {

    /** The name a user types: the concept's name, or {@code #id} for an unnamed one. */
    public String label() {
        return name != null ? name : "#" + id;
    }
}

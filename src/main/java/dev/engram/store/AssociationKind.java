package dev.engram.store;

/**
 * How a concept-trace link formed. When the same pair is bound again by a different kind, the
 * association keeps the kind with the strongest evidence: an explicit label outranks being
 * perceived together, which outranks mere closeness in the latent space.
 */
public enum AssociationKind {
    LOCALITY, SYNCHRONY, LABEL;

    public String sqlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static AssociationKind fromSql(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }

    public AssociationKind strongest(AssociationKind other) {
        return compareTo(other) >= 0 ? this : other;
    }
}

package dev.engram.store;

/**
 * How a concept-trace link formed. When the same pair is bound again by a different kind, the
 * association keeps the kind with the strongest evidence: an explicit label outranks being
 * perceived together, which outranks what a dictionary says of the concept's words (lexicon),
 * which outranks mere closeness in the latent space.
 */
public enum AssociationKind {
    LOCALITY(1), LEXICON(0.5), SYNCHRONY(1), LABEL(1);

    private final double vote;

    AssociationKind(double vote) {
        this.vote = vote;
    }

    /**
     * What a vote through an association of this kind counts in recall, as a factor on its
     * weight: 1, except a lexicon text's 0.5, as a word a dictionary relates to the concept is
     * weaker evidence than the concept's own name, so that a cue as close to a lexicon text as to
     * a stored name goes to the name (docs/architecture.md, "Lexical knowledge").
     */
    public double vote() {
        return vote;
    }

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

package dev.engram.store;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend-neutral rules of the store, without any backend: what every backend relies on. */
class DomainRulesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-02T00:00:00Z");

    private static void assertInvalid(Runnable action) {
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class, action::run).exitCode());
    }

    @Test
    void hebbianRule() {
        assertEquals(0.5, Hebbian.strengthen(0, 0.5));
        assertEquals(0.75, Hebbian.strengthen(0.5, 0.5));
        assertEquals(1.0, Hebbian.strengthen(0.3, 1.0));
        double w = 0;
        for (int i = 0; i < 50; i++) {
            w = Hebbian.strengthen(w, 0.1);
            assertTrue(w < 1, "the weight saturates below 1 at rates below 1");
        }
        assertEquals(1 - Math.pow(0.9, 50), w, 1e-12, "n bindings at rate r give 1 - (1 - r)^n");
        assertThrows(IllegalArgumentException.class, () -> Hebbian.strengthen(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Hebbian.strengthen(0, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Hebbian.strengthen(0, Double.NaN));
    }

    @Test
    void aFirstBindingStartsFromZeroAndLaterOnesStrengthenCountAndKeepTheStrongestKind() {
        Association first = Association.bound(null, new Binding(1, 2, AssociationKind.LOCALITY, 0.4), T0);
        assertEquals(new Association(1, 2, AssociationKind.LOCALITY, 0.4, 1, T0, T0), first);
        Association second = Association.bound(first, new Binding(1, 2, AssociationKind.LABEL, 0.5), T1);
        assertEquals(new Association(1, 2, AssociationKind.LABEL, 0.7, 2, T0, T1), second);
        Association third = Association.bound(second, new Binding(1, 2, AssociationKind.SYNCHRONY, 0.5), T1);
        assertEquals(AssociationKind.LABEL, third.kind(), "label outranks synchrony");
        assertEquals(0.85, third.weight(), 1e-12);
        assertEquals(3, third.count());
        assertThrows(IllegalArgumentException.class,
                () -> Association.bound(first, new Binding(1, 3, AssociationKind.LABEL, 0.5), T1));
    }

    @Test
    void kindPrecedence() {
        assertEquals(AssociationKind.LABEL, AssociationKind.LOCALITY.strongest(AssociationKind.LABEL));
        assertEquals(AssociationKind.SYNCHRONY, AssociationKind.SYNCHRONY.strongest(AssociationKind.LOCALITY));
        assertEquals(AssociationKind.LOCALITY, AssociationKind.fromSql(AssociationKind.LOCALITY.sqlName()));
    }

    @Test
    void conceptNames() {
        ConceptRules.requireValidName("ankle-boot");
        ConceptRules.requireValidName("x".repeat(ConceptRules.MAX_NAME_LENGTH));
        ConceptRules.requireValidName("a#b");
        for (String bad : new String[] {"", " ", "#12", "#name", "x".repeat(ConceptRules.MAX_NAME_LENGTH + 1)}) {
            assertInvalid(() -> ConceptRules.requireValidName(bad));
        }
        assertInvalid(() -> ConceptRules.requireValidName(null));
    }

    @Test
    void labelsOfUnnamedConcepts() {
        assertEquals(OptionalLong.of(42), ConceptRules.parseLabel("#42"));
        assertEquals(OptionalLong.empty(), ConceptRules.parseLabel("42"));
        assertEquals(OptionalLong.empty(), ConceptRules.parseLabel("#4a"));
        assertEquals(OptionalLong.empty(), ConceptRules.parseLabel("#" + "9".repeat(19)), "too long for an id");
        assertEquals("#7", new Concept(7, null, 0).label());
        assertEquals("coat", new Concept(7, "coat", 0).label());
    }

    @Test
    void noConceptDescendsFromItself() {
        Concept footwear = new Concept(1, "footwear", 0);
        Concept shoe = new Concept(2, "shoe", 1);
        Concept sandal = new Concept(3, "sandal", 2);
        ConceptRules.requireNoCycle(sandal, footwear, List.of());
        assertInvalid(() -> ConceptRules.requireNoCycle(footwear, sandal, List.of(shoe, footwear)));
        assertInvalid(() -> ConceptRules.requireNoCycle(shoe, shoe, List.of(footwear)));
    }

    @Test
    void aNameIsFreeUnlessAnotherConceptHasIt() {
        Concept a = new Concept(1, "a", 0);
        ConceptRules.requireFree("a", a, Optional.of(a));
        ConceptRules.requireFree("b", a, Optional.empty());
        assertInvalid(() -> ConceptRules.requireFree("b", a, Optional.of(new Concept(2, "b", 0))));
    }

    @Test
    void surprisePercentiles() {
        SurpriseDistribution d = new SurpriseDistribution(new double[] {0.4, 0.1, 0.3, 0.2, 0.3});
        assertEquals(0.0, d.percentile(0.05));
        assertEquals(0.2, d.percentile(0.1), "ties count as at most");
        assertEquals(0.8, d.percentile(0.3));
        assertEquals(1.0, d.percentile(10));
        assertTrue(Double.isNaN(new SurpriseDistribution(new double[0]).percentile(1)));
    }

    @Test
    void metrics() {
        assertEquals(Metric.EUCLIDEAN, Metric.of("euclidean"));
        assertEquals(5.0, Metric.EUCLIDEAN.distance(new float[] {0, 0}, new float[] {3, 4}), 1e-12);
        assertInvalid(() -> Metric.of("cosine"));
    }
}

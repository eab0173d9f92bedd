package dev.engram.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Walking the concept hierarchy both ways: parents up, children (a concept's siblings' source) down. */
class ConceptTreeTest {
    @TempDir
    Path dir;

    @Test
    void childrenAndAllConcepts() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, EmbeddedStore.Mode.CREATE, Duration.ofSeconds(5))) {
            Concept footwear = store.conceptNamed("footwear");
            Concept shoe = store.conceptNamed("shoe");
            Concept boot = store.conceptNamed("boot");
            Concept sandal = store.conceptNamed("sandal");
            Concept unnamed = store.createUnnamedConcept();
            store.setParent(shoe, footwear);
            store.setParent(boot, footwear);
            store.setParent(sandal, shoe);
            store.setParent(unnamed, footwear);

            assertEquals(List.of("shoe", "boot", "#" + unnamed.id()), labels(store.children(footwear)));
            assertEquals(List.of("sandal"), labels(store.children(shoe)));
            assertEquals(List.of(), store.children(sandal));
            // Moving a concept moves it between its old and new parent's children.
            store.setParent(sandal, footwear);
            assertEquals(List.of(), store.children(shoe));
            assertEquals(List.of("shoe", "boot", "sandal", "#" + unnamed.id()), labels(store.children(footwear)));
            assertEquals(List.of("footwear", "shoe", "boot", "sandal", "#" + unnamed.id()), labels(store.concepts()));
        }
    }

    private static List<String> labels(List<Concept> concepts) {
        return concepts.stream().map(Concept::label).toList();
    }
}

package dev.engram;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of engram's own classes (src/main/java: no tests, benchmarks or build tools).
 * The top-level packages under {@code dev.engram} depend on each other without cycles, and the
 * neutral packages, which any other may use, use none of the model's. Each rule is one
 * {@code @ArchTest} field; a layer rule (ArchUnit's {@code layeredArchitecture()}) is one more.
 */
@AnalyzeClasses(packages = "dev.engram", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The command line and the model: what a neutral package must know nothing of. */
    static final String[] MODEL = {"dev.engram.cli..", "dev.engram.app..", "dev.engram.encode..",
            "dev.engram.bind..", "dev.engram.recall..", "dev.engram.dim..", "dev.engram.store.."};

    @ArchTest
    static final ArchRule topLevelPackagesHaveNoCycles = slices().matching("dev.engram.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule ioIsNeutral = neutral("dev.engram.io..");

    @ArchTest
    static final ArchRule knnIsNeutral = neutral("dev.engram.knn..");

    /**
     * The layers (docs/architecture.md, Layers): cli -> app -> encode / bind / recall / dim ->
     * store. A command may name the model's result types it renders, but nothing below the
     * command line knows it, nothing below the use cases knows them, and the store knows none
     * of the model's parts.
     */
    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy("dev.engram.cli..")
            .layer("app").definedBy("dev.engram.app..")
            .layer("model").definedBy("dev.engram.encode..", "dev.engram.bind..", "dev.engram.recall..",
                    "dev.engram.dim..")
            .layer("store").definedBy("dev.engram.store..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("app").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("model").mayOnlyBeAccessedByLayers("cli", "app")
            .whereLayer("store").mayOnlyBeAccessedByLayers("cli", "app", "model");

    /** Backends are found through {@code Stores}; no caller names one. */
    @ArchTest
    static final ArchRule backendsAreReachedThroughTheContract = noClasses()
            .that().resideOutsideOfPackage("dev.engram.store.embedded..")
            .should().dependOnClassesThat().resideInAPackage("dev.engram.store.embedded..")
            .because("callers get a store from Stores.at and use the Store contract");

    static ArchRule neutral(String packages) {
        return noClasses().that().resideInAPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage(MODEL)
                .because("a neutral package serves every part of engram and so can depend on none of them");
    }
}

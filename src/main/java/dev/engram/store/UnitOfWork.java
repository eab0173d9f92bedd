package dev.engram.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The transaction a unit of work is handed, around a backend's writes: it enforces the two
 * rules of the contract that no database enforces alike. A unit whose write failed can only be
 * abandoned (H2 would go on after a failed statement, PostgreSQL aborts the transaction: neither
 * may commit half of a failed call), and a transaction is dead once its unit has ended (a
 * captured one must not write outside any unit). Backend-neutral: every backend wraps its own
 * {@link Transaction} in one.
 */
public final class UnitOfWork implements Transaction {
    private final Transaction writes;
    private boolean ended;
    private RuntimeException failed;

    /** Spaces this unit added traces to, and spaces it forgot traces of: one unit does not do both to one space. */
    private final java.util.Set<Integer> addedTo = new java.util.HashSet<>();
    private final java.util.Set<Integer> forgotIn = new java.util.HashSet<>();

    public UnitOfWork(Transaction writes) {
        this.writes = writes;
    }

    /** Called by the backend when the unit commits or rolls back: later calls are refused. */
    public void end() {
        ended = true;
    }

    /** Refuses to commit a unit one of whose writes failed, even if the work caught the failure. */
    public void requireCommittable() {
        if (failed != null) {
            throw new IllegalStateException("a write of this unit of work failed (" + failed.getMessage()
                    + "); the unit is abandoned and nothing of it is stored", failed);
        }
    }

    private <R> R step(Supplier<R> call) {
        if (ended) {
            throw new IllegalStateException("this transaction's unit of work has ended: write in a new unit");
        }
        requireCommittable();
        try {
            return call.get();
        } catch (RuntimeException e) {
            failed = e;
            throw e;
        }
    }

    private void run(Runnable call) {
        step(() -> {
            call.run();
            return null;
        });
    }

    @Override
    public Space createSpace(String name, String modality, String encoder, int dimension, String metric,
                             String config) {
        return step(() -> {
            SpaceRules.requireValidName(name);
            Metric.of(metric);
            if (dimension < 1) {
                throw new IllegalArgumentException("space dimension must be positive: " + dimension);
            }
            return writes.createSpace(name, modality, encoder, dimension, metric, config);
        });
    }

    @Override
    public void writeModel(String space, int version, ModelRepository.Writer writer) {
        run(() -> {
            SpaceRules.requireValidName(space);
            if (version < 1) {
                throw new IllegalArgumentException("model versions start at 1: " + version);
            }
            writes.writeModel(space, version, writer);
        });
    }

    @Override
    public Optional<Space> space(String name) {
        return step(() -> writes.space(name));
    }

    @Override
    public long createEvent(String name, Instant time, String source) {
        return step(() -> writes.createEvent(name, time, source));
    }

    @Override
    public Map<Space, List<Store.StoredTrace>> addTraces(Map<Space, List<NewTrace>> batches) {
        return step(() -> {
            for (Space space : batches.keySet()) {
                if (forgotIn.contains(space.id())) {
                    throw new IllegalStateException("this unit forgot traces of space " + space.name()
                            + "; add to it in another unit");
                }
            }
            batches.keySet().forEach(s -> addedTo.add(s.id()));
            return writes.addTraces(batches);
        });
    }

    @Override
    public int forgetTraces(Space space, java.util.Collection<Long> traceIds) {
        return step(() -> {
            requireNotAddedTo(space);
            forgotIn.add(space.id());
            return writes.forgetTraces(space, traceIds);
        });
    }

    @Override
    public void forgetConcept(Concept concept) {
        run(() -> writes.forgetConcept(concept));
    }

    @Override
    public void forgetSpace(Space space) {
        run(() -> {
            requireNotAddedTo(space);
            forgotIn.add(space.id());
            writes.forgetSpace(space);
        });
    }

    private void requireNotAddedTo(Space space) {
        if (addedTo.contains(space.id())) {
            throw new IllegalStateException("this unit added traces to space " + space.name()
                    + "; forget in another unit");
        }
    }

    @Override
    public Concept conceptNamed(String name) {
        return step(() -> writes.conceptNamed(name));
    }

    @Override
    public Concept createUnnamedConcept() {
        return step(writes::createUnnamedConcept);
    }

    @Override
    public Concept addConcept(String name, Instant createdAt) {
        return step(() -> writes.addConcept(name, java.util.Objects.requireNonNull(createdAt, "createdAt")));
    }

    @Override
    public void setParent(Concept child, Concept parent) {
        run(() -> writes.setParent(child, parent));
    }

    @Override
    public Concept renameConcept(Concept concept, String name) {
        return step(() -> writes.renameConcept(concept, name));
    }

    @Override
    public int bind(List<Binding> bindings) {
        return step(() -> writes.bind(bindings));
    }

    @Override
    public int merge(List<Association> associations) {
        return step(() -> {
            for (Association a : associations) {
                if (!(a.weight() > 0 && a.weight() <= 1) || a.count() < 1 || a.firstAt() == null || a.lastAt() == null) {
                    throw new IllegalArgumentException("an association has a weight in (0, 1], a count of at least 1"
                            + " and its times: " + a);
                }
            }
            return writes.merge(associations);
        });
    }

    @Override
    public DimReport addDimReport(DimReport report) {
        return step(() -> writes.addDimReport(report));
    }

    @Override
    public Optional<Concept> concept(String label) {
        return step(() -> writes.concept(label));
    }

    @Override
    public Optional<Concept> concept(long id) {
        return step(() -> writes.concept(id));
    }

    @Override
    public List<Concept> parentChain(Concept concept) {
        return step(() -> writes.parentChain(concept));
    }

    @Override
    public DimReport addDimReport(String target, String estimator, String parameters, int points, long seed,
                                  double estimate) {
        return step(() -> writes.addDimReport(target, estimator, parameters, points, seed, estimate));
    }

    @Override
    public Space changeVersion(Space space, SpaceVersion next, List<TraceVector> vectors) {
        return step(() -> {
            if (next.version() < 1) {
                throw new IllegalArgumentException("model versions start at 1: " + next.version());
            }
            return writes.changeVersion(space, next, vectors);
        });
    }

    @Override
    public Restore restore(Restore.Ceilings highest) {
        Restore restore = step(() -> writes.restore(highest));
        return new Restore() {
            @Override
            public void space(Space space) {
                run(() -> {
                    SpaceRules.requireValidName(space.name());
                    Metric.of(space.metric());
                    restore.space(space);
                });
            }

            @Override
            public void versions(Space space, List<SpaceVersion> versions) {
                run(() -> restore.versions(space, versions));
            }

            @Override
            public void vectors(Space space, int version, List<TraceVector> vectors) {
                run(() -> restore.vectors(space, version, vectors));
            }

            @Override
            public void events(List<Event> events) {
                run(() -> restore.events(events));
            }

            @Override
            public void traces(Space space, List<Trace> traces) {
                run(() -> restore.traces(space, traces));
            }

            @Override
            public void perceived(Map<Long, List<Long>> eventTraces) {
                run(() -> restore.perceived(eventTraces));
            }

            @Override
            public void concepts(List<Concept> concepts) {
                run(() -> restore.concepts(concepts));
            }

            @Override
            public void associations(List<Association> associations) {
                run(() -> restore.associations(associations));
            }

            @Override
            public void dimReport(DimReport report) {
                run(() -> restore.dimReport(report));
            }
        };
    }
}

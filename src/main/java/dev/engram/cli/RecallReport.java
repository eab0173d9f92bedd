package dev.engram.cli;

import dev.engram.app.Recall;
import dev.engram.recall.Recaller;
import dev.engram.store.Concept;
import dev.engram.store.Space;
import dev.engram.store.Trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code engram recall} prints for each cue as it is recalled: a JSON line, a readable
 * report, or with {@code --brief} a row of one table printed at the end.
 */
final class RecallReport {
    private final Output out;
    private final Map<Integer, Space> spaces = new HashMap<>();
    private final boolean siblings;
    private final boolean brief;
    private final Output.Table briefTable = new Output.Table("cue", "concept", "score", "surprise", "percentile");

    RecallReport(Output out, List<Space> spaces, boolean siblings, boolean brief) {
        this.out = out;
        spaces.forEach(s -> this.spaces.put(s.id(), s));
        this.siblings = siblings;
        this.brief = brief;
    }

    void print(Recall.Recalled recalled) {
        Recaller.Recollection r = recalled.recollection();
        if (out.json()) {
            out.jsonLine(json(recalled));
        } else if (brief) {
            Recaller.ConceptScore top = r.top();
            briefTable.row(r.cue(), top == null ? "-" : top.concept().label(), top == null ? Double.NaN : top.score(),
                    r.surprise(), r.surprisePercentile());
        } else {
            table(recalled);
        }
    }

    /** Prints what waits for the last cue: the brief table. */
    void finish() {
        if (brief && !out.json()) {
            briefTable.print(out, "");
        }
    }

    private Map<String, Object> json(Recall.Recalled recalled) {
        Recaller.Recollection r = recalled.recollection();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cue", r.cue());
        json.put("kind", r.kind());
        if (!Double.isNaN(r.surprise())) {
            json.put("surprise", r.surprise());
            json.put("surprise_percentile", r.surprisePercentile());
        }
        if (recalled.reconstruction() != null) {
            json.put("reconstruction", recalled.reconstruction().toString());
        }
        List<Map<String, Object>> concepts = new ArrayList<>();
        for (Recaller.ConceptScore c : r.concepts()) {
            Map<String, Object> concept = new LinkedHashMap<>();
            concept.put("name", c.concept().label());
            concept.put("score", c.score());
            concept.put("votes", c.votes());
            concept.put("parents", c.parents().stream().map(Concept::label).toList());
            if (siblings) {
                concept.put("siblings", c.siblings().stream().map(Concept::label).toList());
            }
            List<Map<String, Object>> list = new ArrayList<>();
            for (Recaller.Member m : c.members()) {
                Map<String, Object> member = traceRef(m.trace(), recalled);
                member.put("kind", m.association().kind().sqlName());
                member.put("weight", m.association().weight());
                member.put("count", m.association().count());
                list.add(member);
            }
            concept.put("members", list);
            concepts.add(concept);
        }
        json.put("concepts", concepts);
        List<Map<String, Object>> neighbours = new ArrayList<>();
        for (Recaller.Hit h : r.neighbours()) {
            Map<String, Object> hit = traceRef(h.trace(), recalled);
            hit.put("distance", h.distance());
            hit.put("concepts", h.concepts());
            neighbours.add(hit);
        }
        json.put("neighbours", neighbours);
        return json;
    }

    private Map<String, Object> traceRef(Trace t, Recall.Recalled recalled) {
        Map<String, Object> ref = new LinkedHashMap<>();
        Space s = spaces.get(t.spaceId());
        ref.put("trace", t.id());
        ref.put("space", s.name());
        ref.put("modality", s.modality());
        ref.put("source", t.sourceLabel());
        if (t.content() != null) {
            ref.put("text", t.content());
        }
        if (recalled.traces().containsKey(t.id())) {
            ref.put("reconstruction", recalled.traces().get(t.id()).toString());
        }
        return ref;
    }

    /** What a person reads for a trace: its text if it has one, else its source. */
    private static String shown(Trace t) {
        return t.content() != null ? '"' + t.content() + '"' : t.sourceLabel();
    }

    private void table(Recall.Recalled recalled) {
        Recaller.Recollection r = recalled.recollection();
        StringBuilder head = new StringBuilder("cue " + r.cue());
        if (!Double.isNaN(r.surprise())) {
            head.append(String.format(Locale.ROOT, "  surprise %s (percentile %s)",
                    Output.number(r.surprise()), Output.number(r.surprisePercentile())));
        }
        Recaller.ConceptScore top = r.top();
        head.append("  ->  ").append(top == null ? "no concept" : top.concept().label());
        out.line(head.toString());
        if (!r.concepts().isEmpty()) {
            Output.Table table = siblings ? new Output.Table("concept", "score", "votes", "parents", "siblings")
                    : new Output.Table("concept", "score", "votes", "parents");
            for (Recaller.ConceptScore c : r.concepts()) {
                String chain = c.parents().isEmpty() ? "-"
                        : String.join(" > ", c.parents().stream().map(Concept::label).toList());
                if (siblings) {
                    table.row(c.concept().label(), c.score(), c.votes(), chain, c.siblings().isEmpty() ? "-"
                            : String.join(",", c.siblings().stream().map(Concept::label).toList()));
                } else {
                    table.row(c.concept().label(), c.score(), c.votes(), chain);
                }
            }
            table.print(out, "  ");
        }
        if (!r.neighbours().isEmpty()) {
            Output.Table table = new Output.Table("trace", "distance", "concepts", "source");
            for (Recaller.Hit h : r.neighbours()) {
                table.row(h.trace().id(), h.distance(), h.concepts().isEmpty() ? "-" : String.join(",", h.concepts()),
                        shown(h.trace()));
            }
            table.print(out, "  ");
        }
        if (top != null && !top.members().isEmpty()) {
            Output.Table table = new Output.Table("member", "space", "weight", "kind", "source");
            for (Recaller.Member m : top.members()) {
                table.row(m.trace().id(), spaces.get(m.trace().spaceId()).name(), m.association().weight(),
                        m.association().kind().sqlName(), shown(m.trace()));
            }
            table.print(out, "  ");
        }
        if (recalled.reconstruction() != null) {
            out.line("  reconstruction " + recalled.reconstruction());
        }
        out.line("");
        out.flush();
    }
}

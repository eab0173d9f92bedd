package dev.engram.encode.text;

import dev.engram.encode.Given;
import dev.engram.encode.Inputs;
import dev.engram.encode.Manifest;
import dev.engram.encode.Modality;
import dev.engram.encode.NewSpace;
import dev.engram.encode.Reading;
import dev.engram.encode.ReconstructionWriter;
import dev.engram.encode.Sources;
import dev.engram.encode.SpaceEncoder;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.util.List;
import java.util.Optional;

/**
 * Text: strings, UTF-8 text files and lines of standard input, through the pretrained sentence
 * encoder ({@link TextSpaces}). Nothing is learnt from the inputs and there is no decoder: a
 * text trace keeps its text, which is what recall shows.
 */
public final class TextModality implements Modality<TextInput> {
    public static final String ID = TextSpaces.MODALITY;
    public static final TextModality INSTANCE = new TextModality();

    private TextModality() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> extensions() {
        return List.of(".txt");
    }

    /** Nothing: any bytes may be text; only the name's ending tells a text file. */
    @Override
    public boolean recognises(byte[] head) {
        return false;
    }

    @Override
    public Given field(Manifest.Field field) {
        return field.text();
    }

    /** A file is one text, a directory its .txt files, {@code -} one text per line of standard input. */
    @Override
    public Inputs<TextInput> read(Sources sources, Reading reading) {
        return new Inputs<>(sources.read(TextModality::one,
                arguments -> TextSources.read(arguments, List.of(), reading.stdin())), new int[0]);
    }

    private static TextInput one(Given given) {
        return given.text() != null ? new TextInput(given.source(), given.index(), given.text())
                : TextSources.file(given.requireFile());
    }

    /** An existing space's encoder: the model it was made with, whatever the default is now. */
    @Override
    public SpaceEncoder<TextInput> open(Store store, Space space) {
        return new Encoder(store, space, SentenceEncoder.shared(TextModel.of(space)));
    }

    /** A new space's encoder; the sentence encoder is pretrained, so the inputs teach it nothing. */
    @Override
    public SpaceEncoder<TextInput> create(Store store, String name, Inputs<TextInput> inputs, NewSpace settings) {
        SentenceEncoder encoder = SentenceEncoder.shared(settings.textModel() == null ? TextModel.DEFAULT
                : TextModel.named(settings.textModel()));
        settings.listener().note("new text space '%s' (%s)", name, encoder.modelId());
        return new Encoder(store, TextSpaces.draft(name, encoder), encoder);
    }

    @Override
    public Optional<ReconstructionWriter> reconstructions() {
        return Optional.empty();
    }

    /** A text space's encoder: a process-wide sentence encoder, surprise from the stored texts. */
    private record Encoder(Store store, Space space, SentenceEncoder sentences) implements SpaceEncoder<TextInput> {

        @Override
        public List<NewTrace> traces(List<TextInput> inputs) {
            return TextSpaces.traces(store, space, sentences, inputs);
        }

        @Override
        public Encoded encode(List<TextInput> inputs) {
            float[][] vectors = sentences.encode(inputs.stream().map(TextInput::text).toList());
            double[] surprise = new double[vectors.length];
            for (int i = 0; i < vectors.length; i++) {
                surprise[i] = TextSpaces.surprise(store, space, vectors[i]);
            }
            return new Encoded(vectors, surprise, null);
        }

        @Override
        public Optional<Decoder> decoder() {
            return Optional.empty();
        }

        /** The sentence encoder is shared by the process and outlives the space's use. */
        @Override
        public void close() {
        }
    }
}

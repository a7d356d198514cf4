package org.prunelab.core.inference;

/**
 * What every {@link InferenceForm} reports about itself, held once: its name, batch size, thread count and the
 * network's input and output widths.
 */
public abstract class FormShape implements InferenceForm {
    private final String name;
    private final int batchSize;
    private final int threads;
    private final int inputs;
    private final int classes;

    protected FormShape(String name, int batchSize, int threads, int inputs, int classes) {
        this.name = name;
        this.batchSize = batchSize;
        this.threads = threads;
        this.inputs = inputs;
        this.classes = classes;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int batchSize() {
        return batchSize;
    }

    @Override
    public final int threads() {
        return threads;
    }

    @Override
    public final int inputs() {
        return inputs;
    }

    @Override
    public final int classes() {
        return classes;
    }
}

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

    /** The shape of a form of {@code mlp}: its first layer's inputs, its last layer's outputs. */
    protected FormShape(String name, int batchSize, int threads, org.prunelab.core.model.Mlp mlp) {
        this(name, batchSize, threads, mlp.layer(0).in(), mlp.layer(mlp.layers().size() - 1).out());
    }

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

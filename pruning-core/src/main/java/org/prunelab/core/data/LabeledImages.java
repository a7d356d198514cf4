package org.prunelab.core.data;

/**
 * A split of an image classification dataset held in memory.
 *
 * @param pixels row-major [count, features] pixels scaled to [0, 1]
 * @param labels class index of each image
 */
public record LabeledImages(String name, float[] pixels, int[] labels, int count, int features, int classes) {

    public LabeledImages {
        if (pixels.length != (long) count * features || labels.length != count) {
            throw new IllegalArgumentException("pixels/labels do not match count " + count);
        }
    }

    /** The first {@code n} examples (all of them if {@code n} is larger), for quick runs and tests. */
    public LabeledImages head(int n) {
        if (n >= count) {
            return this;
        }
        float[] p = java.util.Arrays.copyOf(pixels, n * features);
        int[] l = java.util.Arrays.copyOf(labels, n);
        return new LabeledImages(name, p, l, n, features, classes);
    }
}

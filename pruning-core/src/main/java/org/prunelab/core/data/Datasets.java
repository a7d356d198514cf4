package org.prunelab.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The datasets the laboratory knows by name, read from a data directory laid out as
 * {@code <dir>/<name>/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]}.
 */
public final class Datasets {
    public static final List<String> NAMES = List.of("mnist", "fashion-mnist");
    private static final int CLASSES = 10;

    private final Path root;

    public Datasets(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Refuses anything that is not a known dataset name, with the list of known ones. */
    public static String checkName(String name) {
        if (name == null || !NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; known datasets: " + NAMES);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    public LabeledImages train(String name) {
        return load(checkName(name), "train");
    }

    public LabeledImages test(String name) {
        return load(checkName(name), "t10k");
    }

    private LabeledImages load(String name, String split) {
        Path dir = root.resolve(name);
        IdxFile images = IdxFile.read(find(dir, split + "-images-idx3-ubyte"), 3);
        IdxFile labels = IdxFile.read(find(dir, split + "-labels-idx1-ubyte"), 1);
        int count = images.dim(0);
        if (labels.dim(0) != count) {
            throw new DatasetException(labels.path() + ": " + labels.dim(0) + " labels but "
                    + images.path() + " holds " + count + " images");
        }
        int features = images.dim(1) * images.dim(2);
        byte[] raw = images.data();
        float[] pixels = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            pixels[i] = (raw[i] & 0xff) / 255.0f;
        }
        byte[] rawLabels = labels.data();
        int[] classes = new int[count];
        for (int i = 0; i < count; i++) {
            classes[i] = rawLabels[i] & 0xff;
            if (classes[i] >= CLASSES) {
                throw new DatasetException(labels.path() + ": label " + classes[i] + " at index " + i
                        + " is not a class in [0, " + CLASSES + ")");
            }
        }
        return new LabeledImages(name + "/" + split, pixels, classes, count, features, CLASSES);
    }

    private static Path find(Path dir, String base) {
        Path raw = dir.resolve(base);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new DatasetException(raw + "[.gz]: file not found (run scripts/setup-datasets.sh to install the datasets)");
    }
}

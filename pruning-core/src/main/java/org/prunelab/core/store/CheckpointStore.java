package org.prunelab.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.prunelab.core.Json;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.Npz;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.training.TrainingCheckpoint;

/**
 * The trainers' epoch checkpoints, one file per job under {@code checkpoints/} in the shared store, so that a job a
 * killed trainer left is finished by whichever trainer gets it next, from the last epoch saved. A checkpoint names
 * its job and training: one that does not fit (another job's, another configuration's, a torn file) is ignored and
 * the training starts afresh.
 */
public final class CheckpointStore {
    private static final String META = "checkpoint.json";

    /** What the file says about itself, beside the arrays. */
    private record Meta(String job, TrainingConfig training, int epoch, int iteration, List<EpochMetrics> history,
                        double seconds) {
    }

    private final Path dir;

    public CheckpointStore(Path storeRoot) {
        this.dir = storeRoot.resolve("checkpoints");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /**
     * The keeper of one job's checkpoints.
     *
     * @param notes told why a checkpoint found is not used
     */
    public TrainingCheckpoint.Keeper of(String job, TrainingConfig training, Consumer<String> notes) {
        Path file = fileOf(job);
        return new TrainingCheckpoint.Keeper() {
            @Override
            public Optional<TrainingCheckpoint> latest() {
                if (!Files.isRegularFile(file)) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(read(Files.readAllBytes(file), job, training));
                } catch (IOException | RuntimeException e) {
                    notes.accept("checkpoint of " + job + " not used: " + e.getMessage());
                    return Optional.empty();
                }
            }

            @Override
            public void save(TrainingCheckpoint c) {
                write(file, c, job, training);
            }
        };
    }

    /** Removes a job's checkpoint once its result is recorded. */
    public void delete(String job) {
        try {
            Files.deleteIfExists(fileOf(job));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the checkpoint of " + job, e);
        }
    }

    public boolean exists(String job) {
        return Files.isRegularFile(fileOf(job));
    }

    private void write(Path file, TrainingCheckpoint c, String job, TrainingConfig training) {
        Map<String, Npz.Array> arrays = new LinkedHashMap<>();
        for (int k = 0; k < c.weights().layers().size(); k++) {
            Layer l = c.weights().layer(k);
            arrays.put("w_" + k, new Npz.Array(l.in(), l.out(), l.weights()));
            arrays.put("m_" + k, new Npz.Array(l.in(), l.out(), c.m().get(k)));
            arrays.put("v_" + k, new Npz.Array(l.in(), l.out(), c.v().get(k)));
        }
        byte[] meta = Json.write(new Meta(job, training, c.epoch(), c.iteration(), c.history(), c.seconds()))
                .getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Npz.write(arrays, Map.of(META, meta));
        try {
            // renamed over the last one: a trainer killed while saving leaves the previous epoch's
            ArtifactStore.replaceAtomically(file, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint of " + job, e);
        }
    }

    private static TrainingCheckpoint read(byte[] bytes, String job, TrainingConfig training) {
        Npz.Contents npz = Npz.read(bytes);
        byte[] metaBytes = npz.members().get(META);
        if (metaBytes == null) {
            throw new IllegalArgumentException("no " + META);
        }
        Meta meta = Json.read(metaBytes, Meta.class);
        if (!job.equals(meta.job()) || !training.equals(meta.training())) {
            throw new IllegalArgumentException("it is of " + meta.job() + " trained with " + meta.training());
        }
        List<Layer> layers = new ArrayList<>();
        List<float[]> m = new ArrayList<>();
        List<float[]> v = new ArrayList<>();
        for (int k = 0; npz.arrays().containsKey("w_" + k); k++) {
            Npz.Array w = npz.arrays().get("w_" + k);
            layers.add(new Layer(w.rows(), w.cols(), w.data()));
            m.add(npz.arrays().get("m_" + k).data());
            v.add(npz.arrays().get("v_" + k).data());
        }
        return new TrainingCheckpoint(meta.epoch(), new Mlp(layers), m, v, meta.iteration(), meta.history(),
                meta.seconds());
    }

    private Path fileOf(String job) {
        return dir.resolve(ArtifactStore.sha256(job.getBytes(StandardCharsets.UTF_8)) + ".npz");
    }
}

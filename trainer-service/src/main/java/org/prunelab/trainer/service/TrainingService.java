package org.prunelab.trainer.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.prunelab.core.Json;
import org.prunelab.core.baseline.ScratchBaseline;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingProgress;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.ModelManifest;
import org.prunelab.core.model.PruningInfo;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Percentage;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.core.store.ResultLedger;
import org.prunelab.core.training.Lanes;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.TrainingEngine;
import org.prunelab.support.metrics.RunGauges;
import org.prunelab.trainer.config.TrainerConfig;

/**
 * Trains the model a request asks for and, if it asks for the baseline, the from-scratch networks; stores them and
 * describes them as events. A run is trained once: its records are kept in the result ledger and a repeated request
 * gets them back.
 */
@ApplicationScoped
public class TrainingService {
    private static final Logger LOG = Logger.getLogger(TrainingService.class);

    private final TrainerConfig config;
    private final Datasets datasets;
    private final ArtifactStore store;
    private final ResultLedger ledger;
    private final MeterRegistry registry;
    private final RunGauges gauges;
    private final TrainingEngine engine;
    private final Map<String, LabeledImages[]> loaded = new ConcurrentHashMap<>();

    public TrainingService(TrainerConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.gauges = new RunGauges(registry, config.metricsMaxRuns());
        this.datasets = new Datasets(config.dataDir());
        this.store = new ArtifactStore(config.storeDir());
        this.ledger = new ResultLedger(store.root());
        this.engine = TrainingEngine.of(config.engine());
    }

    /**
     * Trains a run once: the model, then the from-scratch networks it asks for, before anything is published, so
     * that the evaluator never times inference while this service trains on the same cores (contended timings skew
     * the speed-ups). A request whose run was trained already is answered from the record when it is the same
     * request, and refused when it differs.
     *
     * @param request an already completed (validated) request
     */
    public TrainedRun trainOnce(TrainingRequest request, Consumer<TrainingProgress> progress) {
        String key = "training/" + request.runId();
        var done = ledger.find(key);
        if (done.isPresent()) {
            TrainedRun recorded = Json.read(done.get(), TrainedRun.class);
            if (!recorded.request().equals(request)) {
                throw new IllegalArgumentException("run " + request.runId() + " was already trained from another "
                        + "request (" + Json.write(recorded.request()) + "); post this one with a new runId");
            }
            LOG.infof("run %s: already trained, publishing the recorded model %s", request.runId(),
                    recorded.model().modelId());
            return recorded;
        }
        TrainedModelEvent model = train(request, progress);
        List<Double> percentages = request.baseline() ? ScratchBaseline.percentages(request.percentages()) : List.of();
        List<Integer> sizes = model.sizes();
        List<PrunedVariantEvent> scratch = Lanes.map(percentages, p -> Lanes.weights(ScratchBaseline
                        .config(request.config(), p).layerSizes(sizes.get(0), sizes.get(sizes.size() - 1))),
                config.lanes(), config.threads(), (p, threads) -> trainBaseline(request, model, p, progress, threads));
        return Json.read(ledger.recordIfAbsent(key, Json.write(new TrainedRun(request, model, scratch))),
                TrainedRun.class);
    }

    private TrainedModelEvent train(TrainingRequest request, Consumer<TrainingProgress> progress) {
        TrainingConfig cfg = request.config();
        LabeledImages[] data = data(cfg.dataset());
        LOG.infof("run %s: training %s", request.runId(), cfg);
        String run = request.runId();
        String[] ds = {"dataset", cfg.dataset()};
        gauges.set(run, "trainer_epochs_planned", "Epochs the run trains for", cfg.epochs(), ds);
        gauges.set(run, "trainer_epoch", "Epochs completed", 0, ds);
        Timer.Sample sample = Timer.start(registry);
        MlpTrainer.Result result = new MlpTrainer(config.batchReportEvery(), engine, config.threads()).train(cfg, data[0], data[1],
                new MlpTrainer.Progress() {
                    @Override
                    public void batches(int epoch, int done, int total) {
                        gauges.set(run, "trainer_batches_done", "Batches done in the current epoch", done, ds);
                        gauges.set(run, "trainer_batches_per_epoch", "Batches in one epoch", total, ds);
                    }

                    @Override
                    public void epoch(EpochMetrics m) {
                        LOG.infof("run %s: epoch %d/%d test loss %.4f accuracy %.4f (%.1f s)", run,
                                m.epoch(), cfg.epochs(), m.testLoss(), m.testAccuracy(), m.seconds());
                        String[] ep = {"dataset", cfg.dataset(), "epoch", Integer.toString(m.epoch())};
                        gauges.set(run, "trainer_epoch", "Epochs completed", m.epoch(), ds);
                        gauges.set(run, "trainer_epoch_test_accuracy_ratio", "Test accuracy after the epoch",
                                m.testAccuracy(), ep);
                        gauges.set(run, "trainer_epoch_test_loss", "Test cross-entropy after the epoch", m.testLoss(), ep);
                        gauges.set(run, "trainer_epoch_seconds", "Wall time of the epoch", m.seconds(), ep);
                        progress.accept(new TrainingProgress(run, cfg.dataset(), TrainingProgress.MODEL, m.epoch(),
                                cfg.epochs(), m));
                    }
                });
        sample.stop(Timer.builder("trainer_training").description("Wall time of a whole training")
                .tag("dataset", cfg.dataset()).register(registry));
        ModelManifest manifest = ModelManifest.trained(request.runId(), result.mlp(), cfg, result.history());
        String id = store.putModel(new ModelArtifact(result.mlp(), manifest));
        EpochMetrics last = result.last();
        return new TrainedModelEvent(request.runId(), id, id, cfg.dataset(), result.mlp().sizes(), cfg,
                result.history(), last.testLoss(), last.testAccuracy(), result.secondsPerEpoch(),
                request.methods(), request.percentages(), request.baseline(), Instant.now().toString());
    }

    /**
     * Trains the from-scratch network of one percentage: the hidden sizes neuron pruning leaves there, the request's
     * data, settings and seed, a fresh start. Stored with a manifest that ties it to the run's trained model.
     */
    private PrunedVariantEvent trainBaseline(TrainingRequest request, TrainedModelEvent model, double percentage,
                                            Consumer<TrainingProgress> progress, int threads) {
        TrainingConfig cfg = ScratchBaseline.config(request.config(), percentage);
        LabeledImages[] data = data(cfg.dataset());
        String network = Method.SCRATCH.id() + " " + Percentage.label(percentage) + "%";
        MlpTrainer.Result result = new MlpTrainer(config.batchReportEvery(), engine, threads).train(cfg, data[0], data[1],
                new MlpTrainer.Progress() {
                    @Override
                    public void epoch(EpochMetrics m) {
                        progress.accept(new TrainingProgress(request.runId(), cfg.dataset(), network, m.epoch(),
                                cfg.epochs(), m));
                    }
                });
        EpochMetrics last = result.last();
        LOG.infof("run %s: from scratch at %s%% (hidden %s): test accuracy %.4f after %d epochs (%.1f s/epoch)",
                request.runId(), Percentage.label(percentage), cfg.hiddenSizes(), last.testAccuracy(), cfg.epochs(),
                result.secondsPerEpoch());
        Sparsity sparsity = Sparsity.of(result.mlp());
        ModelManifest manifest = ModelManifest.trained(request.runId(), result.mlp(), cfg, result.history())
                .asScratchBaselineOf(new PruningInfo(model.modelId(), Method.SCRATCH, percentage, sparsity));
        String id = store.putModel(new ModelArtifact(result.mlp(), manifest));
        return new PrunedVariantEvent(request.runId(), model.modelId(), id, id, cfg.dataset(), Method.SCRATCH,
                percentage, sparsity, cfg.seed(), model.expectedVariants());
    }

    /** The dataset's training and test images, read once per service. */
    private LabeledImages[] data(String dataset) {
        return loaded.computeIfAbsent(dataset, name -> new LabeledImages[]{datasets.train(name), datasets.test(name)});
    }
}

package org.prunelab.trainer.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.prunelab.core.Json;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.events.JobKind;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.StudyPlan;
import org.prunelab.core.events.TrainedModelEvent;
import org.prunelab.core.events.TrainingJob;
import org.prunelab.core.events.TrainingProgress;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.core.lottery.LotteryRound;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.ModelManifest;
import org.prunelab.core.model.PruningInfo;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.model.TrainingConfig;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.core.store.CheckpointStore;
import org.prunelab.core.store.JobLease;
import org.prunelab.core.store.ResultLedger;
import org.prunelab.core.training.MlpTrainer;
import org.prunelab.core.training.TrainingCheckpoint;
import org.prunelab.core.training.TrainingEngine;
import org.prunelab.support.metrics.RunGauges;
import org.prunelab.trainer.config.TrainerConfig;

/**
 * Turns a request into training jobs, and trains jobs: a seed's model, a from-scratch network, a pruned variant's
 * fine-tuning, a lottery round's network (whose ticket leads to the next round's jobs). Each job's result is recorded once in the ledger (a repeated or redelivered job is answered from the
 * record), each epoch is checkpointed in the store (a job a killed trainer left resumes there, on any trainer), and
 * a lease keeps two trainers from training one job at the same time.
 */
@ApplicationScoped
public class TrainingService {
    private static final Logger LOG = Logger.getLogger(TrainingService.class);

    private final TrainerConfig config;
    private final Datasets datasets;
    private final ArtifactStore store;
    private final ResultLedger ledger;
    private final CheckpointStore checkpoints;
    private final MeterRegistry registry;
    private final RunGauges gauges;
    private final TrainingEngine engine;
    private final String instance;
    private final Map<String, LabeledImages[]> loaded = new ConcurrentHashMap<>();

    public TrainingService(TrainerConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.gauges = new RunGauges(registry, config.metricsMaxRuns());
        this.datasets = new Datasets(config.dataDir());
        this.store = new ArtifactStore(config.storeDir());
        this.ledger = new ResultLedger(store.root());
        this.checkpoints = new CheckpointStore(store.root());
        this.engine = TrainingEngine.of(config.engine());
        this.instance = System.getenv().getOrDefault("HOSTNAME", "trainer") + "-" + ProcessHandle.current().pid();
    }

    /**
     * Accepts a run once: its request is recorded as the run's plan, and its first jobs (per seed the model and the
     * from-scratch networks) are what to publish. The same request again gets the same jobs (they are done once
     * each); another request under a run id already planned is refused.
     *
     * @param request an already completed (validated) request
     */
    public List<TrainingJob> plan(TrainingRequest request) {
        String recorded = ledger.recordIfAbsent(StudyPlan.planKey(request.runId()), Json.write(request));
        TrainingRequest planned = Json.read(recorded, TrainingRequest.class);
        if (!planned.equals(request)) {
            throw new IllegalArgumentException("run " + request.runId() + " was already trained from another "
                    + "request (" + recorded + "); post this one with a new runId");
        }
        return StudyPlan.firstJobs(request);
    }

    /**
     * Trains a job once and returns what it publishes. A job already recorded is answered from its record; a job
     * another trainer holds the lease of is waited for; otherwise this trainer takes the lease, resumes from the
     * job's checkpoint if there is one, and records the result (the first record of a key wins).
     */
    public JobOutput runOnce(TrainingJob job, Consumer<TrainingProgress> progress) {
        job.validate();
        String key = StudyPlan.jobKey(job.key());
        boolean waited = false;
        while (true) {
            Optional<String> done = ledger.find(key);
            if (done.isPresent()) {
                if (!waited) {
                    LOG.infof("%s: already trained, publishing the recorded result", job.key());
                }
                return output(Json.read(done.get(), JobResult.class));
            }
            Optional<JobLease> lease = JobLease.tryAcquire(store.root(), job.key(), instance, config.leaseTimeout());
            if (lease.isPresent()) {
                try (JobLease held = lease.get()) {
                    if (ledger.find(key).isPresent()) {
                        continue; // recorded between the look above and the lease: answered from the record
                    }
                    // the record that holds, which is another trainer's if it recorded first
                    String recorded = ledger.recordIfAbsent(key, Json.write(train(job, progress)));
                    checkpoints.delete(job.key());
                    return output(Json.read(recorded, JobResult.class));
                }
            }
            if (!waited) {
                LOG.infof("%s: another trainer holds it; waiting for its result", job.key());
                waited = true;
            }
            sleep(Math.max(200, config.leaseTimeout().toMillis() / 10));
        }
    }

    /**
     * The records a job's result publishes. A from-scratch network is published once its seed's model is recorded
     * (its event names the model it stands beside), so the model job publishes those recorded before it, and each
     * later one publishes itself: recording first and looking second, at least one of the two always sees the other.
     */
    private JobOutput output(JobResult r) {
        TrainingJob job = r.job();
        return switch (job.kind()) {
            case MODEL -> {
                List<PrunedVariantEvent> ready = new ArrayList<>();
                for (TrainingJob scratch : StudyPlan.firstJobs(job.request())) {
                    if (scratch.kind() == JobKind.SCRATCH && scratch.seed() == job.seed()) {
                        ledger.find(StudyPlan.jobKey(scratch.key())).map(j -> Json.read(j, JobResult.class))
                                .ifPresent(s -> ready.add(s.variant(r.model().modelId())));
                    }
                }
                String id = r.model().modelId();
                yield new JobOutput(List.of(r.model()), ready, StudyPlan.nextLotteryRound(job, id, id));
            }
            case SCRATCH -> new JobOutput(List.of(), ledger.find(StudyPlan.jobKey(TrainingJob.modelKey(job.runId(),
                    job.seed()))).map(m -> Json.read(m, JobResult.class))
                    .map(m -> List.of(r.variant(m.model().modelId()))).orElse(List.of()), List.of());
            case FINE_TUNE -> new JobOutput(List.of(), List.of(r.variant(job.modelId())), List.of());
            case LOTTERY -> new JobOutput(List.of(), List.of(r.variant(job.modelId())),
                    StudyPlan.nextLotteryRound(job, job.modelId(), r.networkId()));
        };
    }

    private JobResult train(TrainingJob job, Consumer<TrainingProgress> progress) {
        TrainingConfig cfg = job.training();
        LabeledImages[] data = data(cfg.dataset());
        String run = job.runId();
        String network = job.network();
        String[] tags = {"dataset", cfg.dataset(), "network", network, "seed", Long.toString(job.seed())};
        gauges.set(run, "trainer_epochs_planned", "Epochs the network trains for", cfg.epochs(), tags);
        gauges.set(run, "trainer_epoch", "Epochs completed", 0, tags);
        LOG.infof("%s: training %s", job.key(), cfg);
        MlpTrainer.Progress report = new MlpTrainer.Progress() {
            @Override
            public void batches(int epoch, int done, int total) {
                gauges.set(run, "trainer_batches_done", "Batches done in the current epoch", done, tags);
                gauges.set(run, "trainer_batches_per_epoch", "Batches in one epoch", total, tags);
            }

            @Override
            public void resumed(int epoch) {
                LOG.infof("%s: resuming after epoch %d from its checkpoint", job.key(), epoch);
                registry.counter("trainer_jobs_resumed", "kind", job.kind().id()).increment();
            }

            @Override
            public void epoch(EpochMetrics m) {
                LOG.infof("%s: epoch %d/%d test loss %.4f accuracy %.4f (%.1f s)", job.key(), m.epoch(),
                        cfg.epochs(), m.testLoss(), m.testAccuracy(), m.seconds());
                gauges.set(run, "trainer_epoch", "Epochs completed", m.epoch(), tags);
                if (job.kind() == JobKind.MODEL) {
                    String[] ep = {"dataset", cfg.dataset(), "seed", Long.toString(job.seed()),
                            "epoch", Integer.toString(m.epoch())};
                    gauges.set(run, "trainer_epoch_test_accuracy_ratio", "Test accuracy after the epoch",
                            m.testAccuracy(), ep);
                    gauges.set(run, "trainer_epoch_test_loss", "Test cross-entropy after the epoch", m.testLoss(), ep);
                    gauges.set(run, "trainer_epoch_seconds", "Wall time of the epoch", m.seconds(), ep);
                }
                progress.accept(new TrainingProgress(run, cfg.dataset(), network, m.epoch(), cfg.epochs(), m,
                        job.seed(), instance));
            }
        };
        TrainingCheckpoint.Keeper keeper = checkpoints.of(job.key(), cfg, LOG::warn);
        MlpTrainer trainer = new MlpTrainer(config.batchReportEvery(), engine, config.threads());
        Timer.Sample sample = Timer.start(registry);
        JobResult result = switch (job.kind()) {
            case MODEL -> {
                MlpTrainer.Result r = trainer.train(cfg, data[0], data[1], report, keeper);
                String id = store.putModel(new ModelArtifact(r.mlp(), ModelManifest.trained(run, r.mlp(), cfg,
                        r.history())));
                TrainingRequest q = job.request();
                EpochMetrics last = r.last();
                TrainedModelEvent model = new TrainedModelEvent(run, id, id, cfg.dataset(), r.mlp().sizes(), cfg,
                        r.history(), last.testLoss(), last.testAccuracy(), r.secondsPerEpoch(), q.methods(),
                        q.percentages(), q.baseline(), Instant.now().toString(), q.seeds(), q.fineTuning(), q.lottery());
                yield new JobResult(job, model, id, Sparsity.of(r.mlp()), r.history(), r.secondsPerEpoch());
            }
            case SCRATCH -> {
                MlpTrainer.Result r = trainer.train(cfg, data[0], data[1], report, keeper);
                Sparsity sparsity = Sparsity.of(r.mlp());
                ModelManifest manifest = ModelManifest.trained(run, r.mlp(), cfg, r.history()).asScratchBaselineOf(
                        new PruningInfo(null, Method.SCRATCH, job.percentage(), sparsity));
                String id = store.putModel(new ModelArtifact(r.mlp(), manifest));
                yield new JobResult(job, null, id, sparsity, r.history(), r.secondsPerEpoch());
            }
            case FINE_TUNE -> {
                ModelArtifact pruned = ModelArtifact.fromNpz(store.get(job.variantId(), job.sha256()));
                PruningInfo info = pruned.manifest().pruning();
                if (!ModelManifest.PRUNED.equals(pruned.manifest().kind()) || info == null
                        || info.method() != job.method() || info.percentage() != job.percentage()
                        || !job.modelId().equals(info.parentArtifactId())) {
                    throw new IllegalArgumentException("artifact " + job.variantId() + " is not the " + job.method()
                            + " " + job.percentage() + "% variant of model " + job.modelId() + " the job names");
                }
                MlpTrainer.Result r = trainer.train(pruned.mlp(), MlpTrainer.pruningMasks(pruned.mlp()), cfg,
                        data[0], data[1], report, keeper);
                Sparsity sparsity = Sparsity.of(r.mlp());
                String id = store.putModel(new ModelArtifact(r.mlp(), pruned.manifest().fineTuned(cfg, r.history())));
                yield new JobResult(job, null, id, sparsity, r.history(), r.secondsPerEpoch());
            }
            case LOTTERY -> {
                LOG.infof("%s: round %d of %d", job.key(), job.lottery().round(job.percentage()),
                        job.lottery().rounds());
                MlpTrainer.Result r = LotteryRound.train(job, ModelArtifact.fromNpz(store.get(job.variantId(),
                        job.sha256())), trainer, data[0], data[1], report, keeper);
                Sparsity sparsity = Sparsity.of(r.mlp());
                String id = store.putModel(new ModelArtifact(r.mlp(), ModelManifest.lottery(run, r.mlp(), cfg,
                        r.history(), job.stage(), new PruningInfo(job.modelId(), job.method(), job.percentage(),
                                sparsity))));
                yield new JobResult(job, null, id, sparsity, r.history(), r.secondsPerEpoch());
            }
        };
        sample.stop(Timer.builder("trainer_training").description("Wall time of a whole training job")
                .tag("dataset", cfg.dataset()).tag("kind", job.kind().id()).register(registry));
        EpochMetrics last = result.history().get(result.history().size() - 1);
        LOG.infof("%s: trained, test accuracy %.4f (%.1f s/epoch)", job.key(), last.testAccuracy(),
                result.secondsPerEpoch());
        return result;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another trainer", e);
        }
    }

    /** The dataset's training and test images, read once per service. */
    private LabeledImages[] data(String dataset) {
        return loaded.computeIfAbsent(dataset, name -> new LabeledImages[]{datasets.train(name), datasets.test(name)});
    }
}

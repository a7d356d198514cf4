package org.prunelab.evaluator.service;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.prunelab.core.data.Datasets;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.events.EvaluationEvent;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.StudyPlan;
import org.prunelab.core.inference.CompactedNetwork;
import org.prunelab.core.inference.DenseSetting;
import org.prunelab.core.inference.FastForm;
import org.prunelab.core.inference.InferenceForm;
import org.prunelab.core.inference.InferenceTimer;
import org.prunelab.core.inference.LayerCost;
import org.prunelab.core.inference.PairedTiming;
import org.prunelab.core.inference.TimingPolicy;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.EpochMetrics;
import org.prunelab.core.model.ModelManifest;
import org.prunelab.core.model.PruningInfo;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;
import org.prunelab.core.Json;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.core.store.ResultLedger;
import org.prunelab.core.training.Evaluation;
import org.prunelab.core.training.NativeThreads;
import org.prunelab.evaluator.config.EvaluatorConfig;

/**
 * Evaluates one pruned variant: test loss and accuracy of the dense pruned model, its method's fast form checked
 * against the dense outputs, and both timed on the CPU. Each variant is evaluated once; its figures and the outcome
 * go to {@link EvaluationMetrics}.
 */
@ApplicationScoped
public class EvaluationService {
    private static final Logger LOG = Logger.getLogger(EvaluationService.class);

    private final EvaluatorConfig config;
    private final EvaluationMetrics metrics;
    private final Datasets datasets;
    private final ArtifactStore store;
    private final ResultLedger ledger;
    private final Map<String, LabeledImages> testSets = new ConcurrentHashMap<>();
    private final Map<String, DenseSetting> settings = new ConcurrentHashMap<>();
    private final Map<String, Long> modelWeights = new ConcurrentHashMap<>();
    /**
     * The timings of a run's one-shot variants, timed together ({@link #timedTogether}) when the first of them is
     * evaluated: by run and seed, then variant key, then thread count. The last two runs' are kept.
     */
    private final Map<String, Map<String, Map<Integer, PairedTiming>>> together = Collections.synchronizedMap(
            new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, Map<Integer, PairedTiming>>> e) {
                    return size() > 2;
                }
            });
    private final String instance;

    public EvaluationService(EvaluatorConfig config, EvaluationMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.datasets = new Datasets(config.dataDir());
        this.store = new ArtifactStore(config.storeDir());
        this.ledger = new ResultLedger(store.root());
        this.instance = System.getenv().getOrDefault("HOSTNAME", "evaluator") + "-" + ProcessHandle.current().pid();
        NativeThreads.configure(1, 1);
    }

    /**
     * At start-up, the recorded results go back on the dashboards: a restarted evaluator (a crash, a redeploy) would
     * otherwise export only what it evaluates from now on, and the runs it had done would vanish from Grafana.
     * Oldest first, so that the runs kept exported (metrics-max-runs) are the latest. In the background, with the
     * test sets' reading: the service is ready without them.
     */
    void showRecorded(@Observes StartupEvent start) {
        Thread.ofPlatform().daemon().name("show-recorded").start(this::showRecorded);
    }

    private void showRecorded() {
        List<EvaluationEvent> recorded = ledger.all(EvaluationEvent.class,
                e -> e.evaluatedAt() != null && e.method() != null && e.runId() != null);
        recorded.sort(java.util.Comparator.comparing(e -> Instant.parse(e.evaluatedAt())));
        recorded.forEach(metrics::show);
        LOG.infof("%d recorded evaluations shown on the dashboards", recorded.size());
        // read the test sets now, not while the first variant of a run waits for them
        for (String name : Datasets.NAMES) {
            try {
                testSets.computeIfAbsent(name, datasets::test);
            } catch (RuntimeException e) {
                LOG.warnf("test set %s not loaded at start-up: %s", name, e.getMessage());
            }
        }
    }

    /** What to publish for a variant, and whether it was computed now or found already done. */
    public record Outcome(String json, String key, boolean fresh) {
    }

    /**
     * Evaluates a variant once: a variant whose run, method and percentage already have a result (a redelivery, a
     * repeated message, or another replica's work) gets that same result back, not a second evaluation.
     */
    public Outcome evaluateOnce(PrunedVariantEvent v) {
        try {
            v.validate();
            var done = ledger.find(v.key());
            if (done.isPresent()) {
                LOG.infof("%s: already evaluated, publishing the recorded result", v.key());
                metrics.duplicate();
                return new Outcome(done.get(), v.key(), false);
            }
            String recorded = ledger.recordIfAbsent(v.key(), Json.write(evaluate(v)));
            // the recorded result, which is another replica's when it won the race, is what the metrics show
            metrics.record(Json.read(recorded, EvaluationEvent.class));
            return new Outcome(recorded, v.key(), true);
        } catch (RuntimeException e) {
            metrics.failed();
            throw e;
        }
    }

    public EvaluationEvent evaluate(PrunedVariantEvent v) {
        Method method = v.method();
        ModelArtifact artifact = ModelArtifact.fromNpz(store.get(v.variantId(), v.sha256()));
        checkProvenance(v, artifact.manifest());
        LabeledImages test = testSets.computeIfAbsent(v.dataset(), datasets::test);
        Mlp mlp = artifact.mlp();
        awaitSettled(v.runId(), v.seed());

        int timed = config.timingLimit() > 0 ? Math.min(config.timingLimit(), test.count()) : test.count();
        FastForm form = method.fastForm();
        // the form's shape and weights, counted once (for the compacted form: one compaction of the network)
        List<LayerCost> costs = form.costs(mlp);
        Mlp compacted = form.batched() ? CompactedNetwork.compact(mlp) : null;
        TimingPolicy policy = TimingPolicy.STUDY.with(config.warmups(), config.repetitions(),
                config.maxRepetitions(), config.precision());
        // the check's passes below run both forms over the same images before each timing: the first warm-up
        InferenceTimer timer = new InferenceTimer(timed == test.count() ? policy.oneWarmupFewer() : policy);
        Evaluation eval = null;
        double diff = 0;
        List<PairedTiming> timings = new ArrayList<>();
        Map<Integer, PairedTiming> joint = timedTogether(v, test, timed, timer);
        for (int threads : config.threads()) {
            // each form at the setting it runs fastest at here: the baseline is the fastest dense pass at this
            // thread count, not batch 64 on one thread
            // every way of running the fast form is checked against dense before it is timed, here over the whole
            // set, whose dense outputs give the accuracy
            Checked c = checked(v.key(), mlp, form, compacted, threads, test, timed, test.count());
            InferenceForm dense = c.pairing().dense();
            InferenceForm fast = c.pairing().fast();
            diff = Math.max(diff, c.diff());
            if (eval == null) {
                eval = Evaluation.ofOutputs(c.denseOut(), test);
            }
            // dense and fast repetitions alternate, so that drift lands on both sides of every pair's ratio
            PairedTiming paired = joint.containsKey(threads) ? joint.get(threads)
                    : timer.pair(dense, fast, test.pixels(), timed);
            timings.add(paired);
            LOG.infof("%s at %d thread(s): dense %.1f ms (%s, batch %d, %s), %s %.1f ms (%s), speed-up %.2fx "
                    + "[%.2f, %.2f]", v.key(), threads, paired.dense().wallMedianMs(), dense.way(), dense.batchSize(),
                    dense.blas(), fast.name(),
                    paired.fast().wallMedianMs(), fast.way(), paired.speedup(), paired.speedupLow(),
                    paired.speedupHigh());
        }
        long fastParams = LayerCost.fastWeights(costs);
        LOG.infof("%s: accuracy %.4f", v.key(), eval.accuracy());
        // written after timing, so that the files never share the CPU with a timed pass
        List<String> exported = form.export(mlp, provenance(v)).stream().map(store::put).toList();
        // the network's own training, for the ones trained as they are: a one-shot variant's history is its model's
        var best = ModelManifest.PRUNED.equals(artifact.manifest().kind()) && v.percentage() > 0
                ? java.util.Optional.<EpochMetrics.TestPoint>empty() : EpochMetrics.best(artifact.manifest().history());
        return new EvaluationEvent(v.runId(), v.modelId(), v.variantId(), v.dataset(), method, v.percentage(),
                v.seed(), v.sparsity(), fastParams, eval.loss(), eval.accuracy(), form.id(), diff, timings,
                v.expectedVariants(), instance, Instant.now().toString(), exported, v.stage(),
                1.0 - (double) fastParams / modelWeights(v), best.map(EpochMetrics.TestPoint::accuracy).orElse(null),
                best.map(EpochMetrics.TestPoint::iteration).orElse(null));
    }

    /**
     * The weights of the model a variant comes from (or, from scratch, stands beside): what its removed share is a
     * share of. A pruned variant has the model's shape; a from-scratch network's model is read once per model.
     */
    private long modelWeights(PrunedVariantEvent v) {
        if (v.method() != Method.SCRATCH) {
            return v.sparsity().parameters();
        }
        return modelWeights.computeIfAbsent(v.modelId(), id -> ModelArtifact.fromNpz(store.get(id, null)).mlp()
                .parameters());
    }

    /**
     * Refuses an artifact that is not the variant the event announces: a pruned, fine-tuned or lottery variant names
     * its method, percentage and parent model; a from-scratch network, trained beside the model rather than from it, its
     * run, seed and percentage.
     */
    private static void checkProvenance(PrunedVariantEvent v, ModelManifest manifest) {
        PruningInfo info = manifest.pruning();
        String kind = ModelManifest.kindOf(v.method(), v.stage());
        boolean fits = info != null && kind.equals(manifest.kind()) && info.method() == v.method()
                && info.percentage() == v.percentage()
                && (v.method() == Method.SCRATCH
                ? v.runId().equals(manifest.runId()) && manifest.training().seed() == v.seed()
                : v.modelId().equals(info.parentArtifactId()));
        if (!fits) {
            throw new IllegalArgumentException("artifact " + v.variantId() + " is not the " + v.stage() + " "
                    + v.method().id() + " " + v.percentage() + "% variant of model " + v.modelId()
                    + " that the event announces");
        }
    }

    /**
     * Waits until the run's training and pruning are all done ({@link StudyPlan#settled}: every training job and
     * every seed's pruning recorded), so that no pass is timed while a trainer or the pruner works on the same
     * cores: the from-scratch and one-shot variants arrive while other networks of the run still train. Up to
     * {@code evaluator.settle-timeout}; then it times anyway and says so (a job that failed leaves no record).
     */
    private void awaitSettled(String runId, long seed) {
        if (StudyPlan.settled(ledger, runId, seed)) {
            return;
        }
        LOG.infof("run %s: waiting for its training and pruning to finish before timing", runId);
        long start = System.nanoTime();
        long deadline = start + config.settleTimeout().toNanos();
        while (!StudyPlan.settled(ledger, runId, seed)) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warnf("run %s: training or pruning not recorded after %s; timing anyway, they may share the CPU",
                        runId, config.settleTimeout());
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for run " + runId + " to settle", e);
            }
        }
        LOG.infof("run %s: trained and pruned; waited %.1f s", runId, (System.nanoTime() - start) / 1e9);
    }

    /**
     * A one-shot variant's timings from the block of its run's one-shot variants timed together, round by round
     * ({@link InferenceTimer#pairAll}): the first of them to be evaluated times them all, so that each one's dense
     * passes (one computation for all) and pairs are spread over the same minutes of the machine instead of each
     * variant's own few seconds. Empty for other variants, and for one left out of the block; those are timed alone.
     */
    private Map<Integer, PairedTiming> timedTogether(PrunedVariantEvent v, LabeledImages test, int timed,
                                                     InferenceTimer timer) {
        if (v.stage() != Stage.ONE_SHOT) {
            return Map.of();
        }
        Map<String, Map<Integer, PairedTiming>> block = together.computeIfAbsent(
                StudyPlan.pruningKey(v.runId(), v.seed()), k -> timeTogether(v.runId(),
                        StudyPlan.prunedVariants(ledger, v.runId(), v.seed()), test, timed, timer));
        return block.getOrDefault(v.key(), Map.of());
    }

    /** The variants not yet evaluated, each checked as its own evaluation checks it, timed together. */
    private Map<String, Map<Integer, PairedTiming>> timeTogether(String runId, List<PrunedVariantEvent> variants,
                                                                 LabeledImages test, int timed, InferenceTimer timer) {
        List<PrunedVariantEvent> todo = variants.stream().filter(u -> ledger.find(u.key()).isEmpty()).toList();
        Map<String, Map<Integer, PairedTiming>> out = new HashMap<>();
        if (todo.size() < 2) {
            return out;
        }
        for (int threads : config.threads()) {
            List<String> keys = new ArrayList<>();
            List<InferenceTimer.Pairing> pairings = new ArrayList<>();
            for (PrunedVariantEvent u : todo) {
                try {
                    u.validate();
                    ModelArtifact artifact = ModelArtifact.fromNpz(store.get(u.variantId(), u.sha256()));
                    checkProvenance(u, artifact.manifest());
                    Mlp mlp = artifact.mlp();
                    FastForm form = u.method().fastForm();
                    Mlp compacted = form.batched() ? CompactedNetwork.compact(mlp) : null;
                    pairings.add(checked(u.key(), mlp, form, compacted, threads, test, timed, timed).pairing());
                    keys.add(u.key());
                } catch (RuntimeException e) {
                    // its own evaluation refuses it with the reason, or times it alone
                    LOG.warnf("%s: not timed with its run's other variants: %s", u.key(), e.getMessage());
                }
            }
            LOG.infof("run %s: timing its %d one-shot variants together at %d thread(s)", runId, pairings.size(),
                    threads);
            long start = System.nanoTime();
            List<PairedTiming> t = timer.pairAll(pairings, test.pixels(), timed);
            for (int i = 0; i < t.size(); i++) {
                out.computeIfAbsent(keys.get(i), k -> new HashMap<>()).put(threads, t.get(i));
            }
            LOG.infof("run %s: %d variants timed together at %d thread(s) in %.1f s", runId, t.size(), threads,
                    (System.nanoTime() - start) / 1e9);
        }
        return out;
    }

    /** A variant's dense and fast forms at one thread count, the fast one checked against dense. */
    private record Checked(InferenceTimer.Pairing pairing, float[] denseOut, double diff) {
    }

    /**
     * Builds {@code mlp}'s dense form and its fast form (from {@code compacted}, for a compacted form) at their
     * fastest settings for this thread count, and checks the fast outputs against the dense ones over the first
     * {@code images} test images: a fast form that differs by the tolerance or more is refused with the reason.
     */
    private Checked checked(String key, Mlp mlp, FastForm form, Mlp compacted, int threads, LabeledImages test,
                            int timed, int images) {
        InferenceForm dense = setting(mlp, threads, test, timed).build("dense", mlp);
        InferenceForm fast = form.build(mlp, compacted != null ? setting(compacted, threads, test, timed)
                : new DenseSetting(1, threads, true));
        float[] denseOut = dense.forwardAll(test.pixels(), images);
        double d = InferenceTimer.maxAbsDiff(denseOut, fast.forwardAll(test.pixels(), images));
        if (d >= config.tolerance()) {
            throw new IllegalStateException("fast form " + fast.name() + " (" + fast.way() + ", " + threads
                    + " thread(s)) of " + key + " differs from dense by " + d + " (tolerance " + config.tolerance()
                    + ")");
        }
        return new Checked(new InferenceTimer.Pairing(dense, fast), denseOut, d);
    }

    /**
     * The fastest dense setting (batch size, way to use the threads, OpenBLAS build) for a network of these layer sizes at this
     * thread count, tried once per shape and process: a dense pass costs the same whatever its weights are.
     */
    private DenseSetting setting(Mlp mlp, int threads, LabeledImages test, int timed) {
        return settings.computeIfAbsent(mlp.sizes() + "@" + threads, s -> {
            InferenceTimer.Search<DenseSetting> found = DenseSetting.search(mlp,
                    config.denseBatches().orElse(DenseSetting.BATCHES), threads, test.pixels(), timed);
            LOG.infof("dense network %s on %d thread(s): fastest at %s (%s)", mlp.sizes(), threads, found.best(),
                    found.finalists().isEmpty() ? "no other setting came close"
                            : "medians of the closest over the whole set: " + found.finalists().entrySet().stream()
                            .map(e -> String.format(java.util.Locale.ROOT, "%s %.1f ms", e.getKey().label(),
                                    e.getValue()))
                            .collect(java.util.stream.Collectors.joining(", ")));
            return found.best();
        });
    }

    /** What every exported file says about where it came from. */
    private static Map<String, Object> provenance(PrunedVariantEvent v) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("runId", v.runId());
        p.put("dataset", v.dataset());
        p.put("method", v.method().id());
        p.put("percentage", v.percentage());
        p.put("seed", v.seed());
        p.put("stage", v.stage().id());
        p.put("modelId", v.modelId());
        p.put("variantId", v.variantId());
        return p;
    }
}

package org.prunelab.pruner.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jboss.logging.Logger;
import org.prunelab.core.Json;
import org.prunelab.core.events.PrunedRun;
import org.prunelab.core.events.PrunedVariantEvent;
import org.prunelab.core.events.StudyPlan;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.model.ModelArtifact;
import org.prunelab.core.model.ModelManifest;
import org.prunelab.core.model.PruningInfo;
import org.prunelab.core.model.Sparsity;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.pruning.Stage;
import org.prunelab.core.store.ArtifactStore;
import org.prunelab.core.store.ResultLedger;
import org.prunelab.support.metrics.RunGauges;
import org.prunelab.pruner.config.PrunerConfig;

/**
 * Prunes a stored model with every requested method and percentage and stores each variant. A run is pruned once:
 * its variants are kept in the result ledger and a repeated input gets them back.
 */
@ApplicationScoped
public class PruningService {
    private static final Logger LOG = Logger.getLogger(PruningService.class);

    private final ArtifactStore store;
    private final ResultLedger ledger;
    private final MeterRegistry registry;
    private final RunGauges gauges;
    private final int maxRuns;

    public PruningService(PrunerConfig config, MeterRegistry registry) {
        this.store = new ArtifactStore(config.storeDir());
        this.ledger = new ResultLedger(store.root());
        this.registry = registry;
        this.gauges = new RunGauges(registry, config.metricsMaxRuns());
        this.maxRuns = config.metricsMaxRuns();
    }

    /**
     * At start-up, the analyses of the latest recorded runs go back on the dashboards (as many as are kept exported):
     * a restarted pruner would otherwise show only the runs it prunes from now on. In the background: reading the
     * models took ~5 s of a start-up with five runs recorded, and the service is ready without them.
     */
    void showRecorded(@Observes StartupEvent start) {
        Thread.ofPlatform().daemon().name("show-recorded").start(this::showRecorded);
    }

    private void showRecorded() {
        List<PrunedRun> runs = ledger.all(PrunedRun.class,
                r -> r.modelId() != null && r.methods() != null && r.variants() != null && !r.variants().isEmpty());
        runs.sort(Comparator.comparing((PrunedRun r) -> r.prunedAt() == null ? Instant.EPOCH
                : Instant.parse(r.prunedAt())));
        for (PrunedRun r : runs.subList(Math.max(0, runs.size() - maxRuns), runs.size())) {
            try {
                ModelArtifact model = ModelArtifact.fromNpz(store.get(r.modelId(), null));
                AnalysisGauges.export(gauges, r.variants().get(0).runId(), model.manifest().dataset(), model.mlp());
            } catch (RuntimeException e) {
                LOG.warnf("run %s: analyses not shown again: %s", r.variants().get(0).runId(), e.getMessage());
            }
        }
    }

    /**
     * @param runId the run the variants belong to
     * @param sha256 the hash the triggering event announced for the model (null if none)
     * @param expected how many variants the run has in all, these and any others (see {@link PrunedVariantEvent})
     */
    public List<PrunedVariantEvent> pruneOnce(String runId, String modelId, String sha256, List<Method> methods,
                                              List<Double> percentages, int expected) {
        // the model is read and checked (present, untampered, trained) even for a repeat: a record is answered only
        // for an input that would be accepted
        ModelArtifact parent = ModelArtifact.fromNpz(store.get(modelId, sha256));
        if (!ModelManifest.TRAINED.equals(parent.manifest().kind())) {
            throw new IllegalArgumentException("artifact " + modelId + " is a " + parent.manifest().kind()
                    + " model; only trained models are pruned");
        }
        // a run prunes the model of each of its seeds once
        String key = StudyPlan.pruningKey(runId, parent.manifest().training().seed());
        var done = ledger.find(key);
        if (done.isPresent()) {
            PrunedRun recorded = Json.read(done.get(), PrunedRun.class);
            if (!recorded.answers(modelId, methods, percentages)) {
                throw new IllegalArgumentException("run " + runId + " (seed " + parent.manifest().training().seed()
                    + ") was already pruned from model "
                        + recorded.modelId() + " with methods " + recorded.methods() + " at " + recorded.percentages()
                        + " %; post a re-prune with a new runId");
            }
            LOG.infof("run %s: already pruned, publishing the %d recorded variants", runId, recorded.variants().size());
            return recorded.variants();
        }
        List<PrunedVariantEvent> variants = prune(runId, modelId, parent, methods, percentages, expected);
        return Json.read(ledger.recordIfAbsent(key, Json.write(new PrunedRun(modelId, methods, percentages,
                variants, Instant.now().toString()))), PrunedRun.class).variants();
    }

    private List<PrunedVariantEvent> prune(String runId, String modelId, ModelArtifact parent, List<Method> methods,
                                           List<Double> percentages, int expected) {
        ModelManifest manifest = parent.manifest();
        // why so much can go: the model's weight and neuron distributions, for the study dashboard
        AnalysisGauges.export(gauges, runId, manifest.dataset(), parent.mlp());
        List<PrunedVariantEvent> variants = new ArrayList<>();
        for (Method method : methods) {
            for (double p : percentages) {
                Timer.Sample sample = Timer.start(registry);
                Mlp pruned = method.apply(parent.mlp(), p, manifest.training().seed());
                Sparsity sparsity = Sparsity.of(pruned);
                String id = store.putModel(new ModelArtifact(pruned,
                        manifest.pruned(new PruningInfo(modelId, method, p, sparsity))));
                variants.add(new PrunedVariantEvent(runId, modelId, id, id, manifest.dataset(), method, p,
                        sparsity, manifest.training().seed(), expected, Stage.ONE_SHOT));
                sample.stop(Timer.builder("pruner_pruning").description("Time to prune and store one variant")
                        .tag("method", method.id()).register(registry));
                Counter.builder("pruner_variants_emitted").description("Pruned variants produced")
                        .tag("method", method.id()).register(registry).increment();
                LOG.infof("run %s: %s %s%% -> sparsity %.4f", runId, method.id(), p, sparsity.overall());
            }
        }
        return variants;
    }
}

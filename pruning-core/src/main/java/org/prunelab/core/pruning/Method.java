package org.prunelab.core.pruning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.prunelab.core.inference.FastForm;
import org.prunelab.core.model.Mlp;

/**
 * What a variant of a run is: how it was made from (or beside) the trained model, its name on the wire and in files,
 * its label in reports, and the fast form it is evaluated in. The pruning methods apply their rule layer by layer to
 * every hidden layer and never to the output layer; {@link #SCRATCH}, the control for neuron pruning, is a network
 * of the neuron-pruned sizes trained from scratch (see {@code baseline.ScratchBaseline}).
 *
 * <p>Everything that differs between kinds of variant is decided here, so that a new method is one constant.
 */
public enum Method {
    // declared in the order results tables list them
    WEIGHT("weight pruning", FastForm.CSR, NetworkRule.layerByLayer(new WeightPruning())),
    /** A from-scratch network has no zeros to skip: its compacted form is itself, timed like the neuron variants. */
    SCRATCH("trained from scratch", FastForm.COMPACT, null),
    NEURON("neuron pruning", FastForm.COMPACT, NetworkRule.layerByLayer(new NeuronPruning())),
    /** One magnitude threshold over all hidden layers: each layer's sparsity is what its magnitudes earn. */
    GLOBAL("global magnitude pruning", FastForm.CSR, new GlobalPruning()),
    /** The control: each hidden layer's weights chosen at random, from the request's seed. */
    RANDOM("random pruning", FastForm.CSR, new RandomPruning());

    /** The pruning methods a run applies unless its request names others. */
    public static final List<Method> DEFAULTS = List.of(WEIGHT, NEURON);

    private final String label;
    private final FastForm fastForm;
    private final NetworkRule rule;

    Method(String label, FastForm fastForm, NetworkRule rule) {
        this.label = label;
        this.fastForm = fastForm;
        this.rule = rule;
    }

    /** The name used in events, files and metric tags: "weight", "neuron" or "scratch". */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The wire id, so that logs and messages read as the records do. */
    @Override
    public String toString() {
        return id();
    }

    /** How reports and charts name the variants of this method. */
    public String label() {
        return label;
    }

    /** The form the evaluator builds to run this method's variants fast. */
    public FastForm fastForm() {
        return fastForm;
    }

    /** True for the methods that prune a trained model; false for the from-scratch control. */
    public boolean prunes() {
        return rule != null;
    }

    /** The methods that prune, in their reporting order. */
    public static List<Method> pruning() {
        return Arrays.stream(values()).filter(Method::prunes).toList();
    }

    /** Any variant's method by its id (case-insensitive); refuses anything else with the known ids. */
    @JsonCreator
    public static Method parse(String s) {
        for (Method m : values()) {
            if (m.id().equalsIgnoreCase(String.valueOf(s))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown pruning method '" + s + "'; known methods: " + pruning().stream()
                .map(Method::id).toList() + " (and '" + SCRATCH.id() + "' for a from-scratch baseline network)");
    }

    /** A method a request may ask a model to be pruned with; the from-scratch control is asked for otherwise. */
    public Method checkPrunes() {
        if (!prunes()) {
            throw new IllegalArgumentException("'" + id() + "' is not a pruning method: from-scratch networks are "
                    + "requested with \"baseline\": true; pruning methods: " + pruning().stream().map(Method::id).toList());
        }
        return this;
    }

    /**
     * The pruned copy of {@code mlp}: its hidden layers by this method's rule, the output layer unchanged.
     *
     * @param seed the request's seed; only {@link #RANDOM} draws from it
     */
    public Mlp apply(Mlp mlp, double percentage, long seed) {
        checkPrunes();
        Percentage.check(percentage);
        return rule.prune(mlp, percentage, seed);
    }
}

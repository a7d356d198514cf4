package org.prunelab.core.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.prunelab.core.Json;
import org.prunelab.core.events.TrainingRequest;
import org.prunelab.core.inference.FastForm;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;

class MethodTest {

    @Test
    void eachMethodNamesItsWireIdLabelAndFastForm() {
        assertEquals(List.of("weight", "scratch", "neuron", "global", "random"),
                java.util.Arrays.stream(Method.values()).map(Method::id).toList());
        assertEquals(FastForm.CSR, Method.WEIGHT.fastForm());
        assertEquals(FastForm.COMPACT, Method.NEURON.fastForm());
        assertEquals(FastForm.COMPACT, Method.SCRATCH.fastForm());
        assertEquals("csr", FastForm.CSR.id());
        assertEquals(List.of(Method.WEIGHT, Method.NEURON, Method.GLOBAL, Method.RANDOM), Method.pruning());
        assertTrue(Method.NEURON.prunes());
        assertFalse(Method.SCRATCH.prunes());
        assertEquals("trained from scratch", Method.SCRATCH.label());
        assertEquals("neuron", Method.NEURON.toString());
    }

    @Test
    void theWireFormIsTheIdAsBefore() {
        assertEquals("[\"weight\",\"scratch\"]", Json.write(List.of(Method.WEIGHT, Method.SCRATCH)));
        assertEquals(Method.NEURON, Json.read("\"neuron\"", Method.class));
    }

    @Test
    void aRequestRefusesUnknownMethodsAndTheBaselineAsAMethodWithAReadableReason() {
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> Json.read("{\"methods\":[\"magnitude\"]}", TrainingRequest.class));
        assertTrue(unknown.getMessage().startsWith("invalid TrainingRequest JSON: unknown pruning method 'magnitude'"),
                unknown.getMessage());
        var scratch = assertThrows(IllegalArgumentException.class,
                () -> Json.read("{\"methods\":[\"scratch\"]}", TrainingRequest.class).complete());
        assertTrue(scratch.getMessage().contains("\"baseline\": true"), scratch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Method.SCRATCH.apply(tiny(), 50, 0));
        assertEquals(Method.DEFAULTS, Json.read("{}", TrainingRequest.class).complete().methods());
    }

    @Test
    void countsRefuseFractionsAndEmptyRecordsGetAReason() {
        var fraction = assertThrows(IllegalArgumentException.class,
                () -> Json.read("{\"epochs\":1.5}", TrainingRequest.class));
        assertEquals("invalid TrainingRequest JSON: 'epochs' must be a whole number", fraction.getMessage());
        assertEquals("invalid TrainingRequest JSON: 'hiddenSizes[1]' must be a whole number", assertThrows(
                IllegalArgumentException.class, () -> Json.read("{\"hiddenSizes\":[10,\"x\"]}",
                        TrainingRequest.class)).getMessage());
        assertEquals("invalid TrainingRequest JSON: 'epochs' must be a whole number", assertThrows(
                IllegalArgumentException.class, () -> Json.read("{\"epochs\":true}", TrainingRequest.class))
                .getMessage());
        assertEquals("invalid TrainingRequest JSON: 'epochs' must be a whole number", assertThrows(
                IllegalArgumentException.class, () -> Json.read("{\"epochs\":\"10\"}", TrainingRequest.class))
                .getMessage());
        assertEquals("invalid TrainingRequest JSON: 'baseline' must be true or false", assertThrows(
                IllegalArgumentException.class, () -> Json.read("{\"baseline\":\"yes\"}", TrainingRequest.class))
                .getMessage());
        assertEquals("invalid TrainingRequest JSON: null; a TrainingRequest is a JSON object",
                assertThrows(IllegalArgumentException.class, () -> Json.read("null", TrainingRequest.class))
                        .getMessage());
        assertEquals("empty record: a TrainingRequest is a JSON object",
                assertThrows(IllegalArgumentException.class, () -> Json.read((String) null, TrainingRequest.class))
                        .getMessage());
    }

    @Test
    void missingNumbersAndWrongShapesSayWhatIsExpected() {
        assertEquals("invalid PrunedVariantEvent JSON: 'percentage' is required: a number", assertThrows(
                IllegalArgumentException.class, () -> Json.read("{\"runId\":\"r\"}",
                        org.prunelab.core.events.PrunedVariantEvent.class)).getMessage());
        assertEquals("invalid TrainingRequest JSON: a TrainingRequest is a JSON object", assertThrows(
                IllegalArgumentException.class, () -> Json.read("[1, 2]", TrainingRequest.class)).getMessage());
    }

    private static Mlp tiny() {
        return new Mlp(List.of(new Layer(2, 2, new float[]{1, 2, 3, 4}), new Layer(2, 1, new float[]{1, 1})));
    }
}

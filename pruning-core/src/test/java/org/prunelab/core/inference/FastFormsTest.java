package org.prunelab.core.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.prunelab.core.data.LabeledImages;
import org.prunelab.core.model.Layer;
import org.prunelab.core.model.Mlp;
import org.prunelab.core.training.Blas;
import org.prunelab.core.pruning.Method;
import org.prunelab.core.training.Dl4jNetworks;
import org.prunelab.core.training.Evaluation;

class FastFormsTest {
    static final double TOLERANCE = 1e-4;

    static Mlp randomMlp(long seed, int... sizes) {
        Random r = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        for (int k = 0; k + 1 < sizes.length; k++) {
            float[] w = new float[sizes[k] * sizes[k + 1]];
            double scale = Math.sqrt(2.0 / sizes[k]);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (r.nextGaussian() * scale);
            }
            layers.add(new Layer(sizes[k], sizes[k + 1], w));
        }
        return new Mlp(layers);
    }

    static float[] inputs(long seed, int count, int features) {
        Random r = new Random(seed);
        float[] x = new float[count * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return x;
    }

    // 150 rows: two full CSR tiles and a partial one, and a partial dense batch
    private final Mlp mlp = randomMlp(11, 50, 40, 30, 20, 10);
    private final float[] x = inputs(12, 150, 50);

    private void assertSameOutputs(Mlp pruned, InferenceForm fast) {
        float[] dense = new DenseNetwork(pruned, 64, 1).forwardAll(x, 150);
        float[] got = fast.forwardAll(x, 150);
        double diff = InferenceTimer.maxAbsDiff(dense, got);
        assertTrue(diff < TOLERANCE, fast.name() + " differs from dense by " + diff);
    }

    private static InferenceForm compacted(Mlp pruned) {
        return FastForm.COMPACT.build(pruned, new DenseSetting(64, 1, false));
    }

    @Test
    void bothOpenBlasBuildsLoadAndTheShippedOneComesFirst() {
        // ND4J's 0.3.19 and the newer one this module ships, told apart by the version each reports; where the
        // environment forces a kernel family that is not the one the shipped build picks for this CPU, that build
        // again on the CPU's own kernels
        List<Blas> builds = Blas.builds();
        String forced = System.getenv("OPENBLAS_CORETYPE");
        boolean isForced = forced != null && !forced.isBlank();
        if (isForced) {
            assertTrue(builds.size() == 2 || builds.size() == 3, "builds: " + builds + " (" + Blas.unavailable() + ")");
        } else {
            assertEquals(2, builds.size(), "builds: " + builds + " (" + Blas.unavailable() + ")");
        }
        assertTrue(builds.get(0).label().startsWith("OpenBLAS 0.3.31 "), builds.get(0).label());
        assertTrue(builds.get(1).label().startsWith("OpenBLAS 0.3.19 "), builds.get(1).label());
        if (builds.size() == 3) {
            assertTrue(builds.get(2).label().startsWith("OpenBLAS 0.3.31 "), builds.get(2).label());
            assertNotEquals(builds.get(0).label(), builds.get(2).label());
        }
        assertEquals(builds.get(0), Blas.standard());
    }

    @Test
    void gemmFormMatchesTheNd4jDenseNetworkInEverySettingOnEveryBuild() {
        // 250 outputs: a gemm layer (a test should not lean on where the Java kernels end, at 200 today)
        Mlp mlp = randomMlp(14, 50, 250, 40, 10);
        float[] reference = new DenseNetwork(mlp, 64, 1).forwardAll(x, 150);
        for (Blas blas : Blas.builds()) {
            for (DenseSetting s : List.of(new DenseSetting(64, 1, false, blas), new DenseSetting(100, 1, false, blas),
                    new DenseSetting(64, 2, true, blas), new DenseSetting(64, 2, false, blas),
                    new DenseSetting(32, 3, true, blas))) {
                InferenceForm form = s.build("dense", mlp);
                assertEquals(s.threads(), form.threads(), s.toString());
                assertEquals(s.threads() == 1 ? "single" : s.tiles() ? "tiles" : "blas-threads", form.way());
                assertEquals(blas.label(), form.blas());
                double diff = InferenceTimer.maxAbsDiff(reference, form.forwardAll(x, 150));
                assertTrue(diff < TOLERANCE, s + " differs from the ND4J dense network by " + diff);
            }
        }
    }

    @Test
    void gemmFormMixesGemmAndJavaLayers() {
        // 250 outputs: OpenBLAS's gemm. 100, 80 and 40: gemm with 8 lanes; with 16, panels of 3 + 3 + 1 vectors
        // (112 wide, 12 padding), 3 + 2 and 3 (8 padding). 30, 12, 5 and 10: skinny, with 8 lanes 32 wide (two rows
        // at a time), 16 (four rows) and 8 then 16; with 16 lanes 32 wide (eight rows, then four) and 16 (eight
        // rows)
        Mlp mixed = randomMlp(13, 50, 250, 100, 80, 40, 30, 12, 5, 10);
        float[] reference = new DenseNetwork(mixed, 64, 1).forwardAll(x, 150);
        for (int lanes : new int[]{8, 16}) {
            // 75: a batch whose last rows are computed one by one; 78: eight-row groups, a four-row one and two rows
            for (int batch : new int[]{64, 75, 78}) {
                double diff = InferenceTimer.maxAbsDiff(reference,
                        new GemmForm("dense", mixed, batch, 1, Blas.standard(), lanes).forwardAll(x, 150));
                assertTrue(diff < TOLERANCE, lanes + " lanes, batch " + batch
                        + " differs from the ND4J dense network by " + diff);
            }
        }
    }

    @Test
    void panelLayersWriteEveryOutputAndZerosInThePadding() {
        // a layer with and without ReLU, rows from an offset and a stride wider than the inputs, as GemmForm passes
        // them; 71 rows: eight groups of 8 and 7 rows one by one. 49, 50, 54 and 100: a last panel of one vector
        // holding 1, 2, 6 and 4 outputs, computed as dot products along the 37 inputs (two whole vectors, the last
        // 5 value by value); 80: a three-vector panel and a two-vector one
        for (int out : new int[]{33, 48, 49, 50, 54, 64, 80, 100, 200}) {
            Layer l = randomMlp(out, 37, out).layer(0);
            PanelLayer panel = new PanelLayer(l);
            assertEquals(16 * ((out + 15) / 16), panel.stride());
            int rows = 71;
            int xStride = 40;
            float[] in = inputs(out, 3 + rows * xStride, 1);
            for (boolean relu : new boolean[]{false, true}) {
                float[] y = panel.outputs(rows);
                java.util.Arrays.fill(y, Float.NaN);
                panel.multiply(in, 3, xStride, rows, y, relu);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < panel.stride(); j++) {
                        double want = 0;
                        if (j < out) {
                            for (int i = 0; i < l.in(); i++) {
                                want += (double) in[3 + r * xStride + i] * l.weights()[i * out + j];
                            }
                            want = relu ? Math.max(want, 0) : want;
                        }
                        float got = y[panel.offset() + r * panel.stride() + j];
                        assertEquals(want, got, 1e-4, out + " outputs, row " + r + ", output " + j + ", relu " + relu);
                    }
                }
            }
        }
    }

    @Test
    void aNetworkOfSkinnyLayersIsNotOfferedOpenBlasThreads() {
        Mlp skinny = randomMlp(17, 50, 30, 20, 10);
        assertTrue(!GemmForm.usesGemm(skinny) && GemmForm.usesGemm(randomMlp(17, 50, 250, 10)));
        DenseSetting two = DenseSetting.fastest(skinny, List.of(16, 32), 2, x, 150);
        assertTrue(two.tiles(), "the Java kernel runs on the calling thread: only tiles use the second one, " + two);
        assertEquals("tiles", two.build("compact", skinny).way());
        assertEquals("", two.build("compact", skinny).blas(), "it calls no OpenBLAS build");
    }

    @Test
    void fastFormsOnTwoThreadsGiveTheirOneThreadOutputs() {
        Mlp weight = Method.WEIGHT.apply(mlp, 90, 0);
        assertEquals(0.0, InferenceTimer.maxAbsDiff(
                FastForm.CSR.build(weight, new DenseSetting(1, 1, false)).forwardAll(x, 150),
                FastForm.CSR.build(weight, new DenseSetting(1, 2, true)).forwardAll(x, 150)));
        Mlp neuron = Method.NEURON.apply(mlp, 70, 0);
        InferenceForm two = FastForm.COMPACT.build(neuron, new DenseSetting(64, 2, true));
        assertEquals(2, two.threads());
        assertSameOutputs(neuron, two);
    }

    @Test
    void denseMatchesDl4j() {
        float[] dense = new DenseNetwork(mlp, 64, 1).forwardAll(x, 150);
        LabeledImages data = new LabeledImages("random", x, new int[150], 150, 50, 10);
        float[] reference = Dl4jNetworks.fromMlp(mlp).output(
                org.nd4j.linalg.factory.Nd4j.create(x, new long[]{150, 50}, 'c'), false).dup('c').data().asFloat();
        assertTrue(InferenceTimer.maxAbsDiff(dense, reference) < TOLERANCE);
        assertEquals(Evaluation.of(mlp, data).loss(), Evaluation.ofOutputs(dense, data).loss(), 1e-4);
    }

    @Test
    void csrGivesDenseOutputsAtEverySparsity() {
        for (double p : new double[]{0, 50, 90, 99}) {
            Mlp pruned = Method.WEIGHT.apply(mlp, p, 0);
            CsrNetwork csr = new CsrNetwork(pruned);
            // the nonzeros between neurons that can change the outputs: all of them while none is dead
            assertEquals(FastForm.CSR.parameters(pruned), csr.nonZeros());
            assertTrue(csr.nonZeros() <= pruned.nonZeros());
            if (p <= 50) {
                assertEquals(pruned.nonZeros(), csr.nonZeros());
            }
            assertSameOutputs(pruned, csr);
        }
    }

    @Test
    void csrNetworksOfEveryKernelGiveTheDenseOutputs() {
        // 50 inputs and 150 rows (a tile of 128 and one of 22): the 16-lane kernel's tiles are filled 16 x 16 by
        // shuffles and the rest (2 inputs, 6 rows) one by one; the others' tiles take the read inputs one by one
        for (double p : new double[]{0, 90}) {
            Mlp pruned = Method.WEIGHT.apply(mlp, p, 0);
            for (CsrLayer.Kernel k : CsrLayer.Kernel.values()) {
                assertSameOutputs(pruned, new CsrNetwork(pruned, k));
            }
        }
    }

    @Test
    void theSixteenLaneCsrNetworkRunsASetsLastFewRowsOnNarrowTilesWithTheDenseOutputs() {
        // 135 rows: a 128-wide tile and 7 rows; 144: a tile and 16; 145: a tile and 17 (a wide tile again); 5: only
        // a narrow tile. The narrow kernel's pairs, shared inputs and odd counts of nonzeros at 0, 50 and 97 %
        float[] in = inputs(26, 145, 50);
        for (double p : new double[]{0, 50, 97}) {
            Mlp pruned = Method.WEIGHT.apply(mlp, p, 0);
            CsrNetwork csr = new CsrNetwork(pruned, CsrLayer.Kernel.LANES16);
            for (int count : new int[]{5, 135, 144, 145}) {
                float[] dense = new DenseNetwork(pruned, 64, 1).forwardAll(in, count);
                double diff = InferenceTimer.maxAbsDiff(dense, csr.forwardAll(in, count));
                assertTrue(diff < TOLERANCE, count + " rows at " + p + "% differ from dense by " + diff);
            }
        }
    }

    @Test
    void theNarrowTileKernelGivesTheDenseProduct() {
        Mlp wide = randomMlp(27, 300, 41, 10);
        int width = CsrLayer.NARROW;
        int base = CsrLayer.BASE;
        float[] in = inputs(28, width, 300);
        for (double p : new double[]{0, 50, 90, 97}) {
            Layer layer = Method.WEIGHT.apply(wide, p, 0).layer(0);
            float[] xt = featureMajor(in, layer.in(), width);
            for (boolean relu : new boolean[]{false, true}) {
                float[] expected = tileProduct(layer, xt, width, relu);
                // stale values in the output tile, as a pass leaves them: the first block overwrites
                float[] y = CsrLayer.tile(layer.out(), width);
                java.util.Arrays.fill(y, 9f);
                CsrLayer csr = new CsrLayer(layer, CsrLayer.Kernel.LANES16);
                csr.multiplyNarrow(xt, y, relu);
                for (int j = 0; j < layer.out(); j++) {
                    for (int r = 0; r < width; r++) {
                        int at = base + j * width + r;
                        assertEquals(expected[at], y[at], TOLERANCE, "row " + j + " column " + r + " at " + p + "%");
                    }
                }
            }
        }
        // the other kernels' layouts are not the narrow tile's
        Layer dense = wide.layer(0);
        assertThrows(IllegalStateException.class, () -> new CsrLayer(dense, CsrLayer.Kernel.LANES8)
                .multiplyNarrow(CsrLayer.tile(300, width), CsrLayer.tile(41, width), false));
    }

    @Test
    void csrSplitsWideDenseLayersIntoInputBlocksAndStillMatches() {
        Mlp wide = randomMlp(21, 784, 64, 10);
        float[] in = inputs(22, 100, 784);
        for (double p : new double[]{0, 50, 99}) {
            Mlp pruned = Method.WEIGHT.apply(wide, p, 0);
            float[] dense = new DenseNetwork(pruned, 64, 1).forwardAll(in, 100);
            float[] csr = new CsrNetwork(pruned).forwardAll(in, 100);
            assertTrue(InferenceTimer.maxAbsDiff(dense, csr) < TOLERANCE, "at " + p + "%");
            for (CsrLayer.Kernel k : CsrLayer.Kernel.values()) {
                CsrLayer first = new CsrLayer(pruned.layer(0), k);
                if (p == 0) {
                    // 28 KiB of input rows per block for the 64-wide kernels: 112 rows; 36 KiB for the 128-wide: 72
                    assertEquals(k.width() == 64 ? 7 : 11, first.blocks(), "784 dense inputs in blocks that fit L1");
                }
                if (p == 99) {
                    assertEquals(1, first.blocks(), "a very sparse layer is not split");
                }
            }
        }
    }

    @Test
    void csrRowsThatShareInputsAreVisitedTogether() {
        // rows 0 and 2 read mostly the same inputs, and so do rows 1 and 3
        int[][] rows = {{0, 1, 2, 3}, {10, 11, 12, 13}, {0, 1, 2, 4}, {10, 11, 12, 14}};
        assertArrayEquals(new int[]{0, 2, 1, 3}, CsrLayer.reuseOrder(rows, 15, 4));
        // a permutation however the rows overlap, empty rows included
        Random r = new Random(31);
        int[][] random = new int[40][];
        for (int j = 0; j < random.length; j++) {
            random[j] = r.ints(0, 50).distinct().limit(r.nextInt(8)).sorted().toArray();
        }
        int[] order = CsrLayer.reuseOrder(random, 50, 6);
        assertArrayEquals(java.util.stream.IntStream.range(0, 40).toArray(), java.util.Arrays.stream(order).sorted()
                .toArray());
    }

    @Test
    void csrRowsThatShareInputsArePaired() {
        // row 0 shares most with row 2 (3 inputs), row 1 with row 3 (2); row 4 shares nothing and stays alone
        int[][] rows = {{10, 11, 12, 13}, {11, 14, 15}, {10, 11, 12}, {14, 15}, {19}};
        List<String> units = java.util.Arrays.stream(CsrLayer.pairs(rows, 10, 20)).map(java.util.Arrays::toString)
                .toList();
        assertEquals(List.of("[0, 2]", "[1, 3]", "[4]"), units);
        // every row in exactly one unit however the rows overlap, empty rows included; inputs past 64 in the block
        Random r = new Random(37);
        int[][] random = new int[41][];
        for (int j = 0; j < random.length; j++) {
            random[j] = r.ints(100, 230).distinct().limit(r.nextInt(12)).sorted().toArray();
        }
        int[][] pairs = CsrLayer.pairs(random, 100, 230);
        assertArrayEquals(java.util.stream.IntStream.range(0, 41).toArray(), java.util.Arrays.stream(pairs)
                .flatMapToInt(java.util.Arrays::stream).sorted().toArray());
        for (int[] unit : pairs) {
            if (unit.length == 2) {
                assertTrue(java.util.Arrays.stream(random[unit[0]]).anyMatch(
                        u -> java.util.Arrays.binarySearch(random[unit[1]], u) >= 0), "a pair shares an input");
            }
        }
    }

    @Test
    void aPairsInputsSplitIntoSharedAndEachRowsOwnInOneMerge() {
        int[][] m = CsrLayer.merge(new int[]{1, 3, 4, 8, 9}, new int[]{0, 3, 8, 10});
        assertEquals("[[3, 8], [1, 4, 9], [0, 10], [0, 1, 3, 4, 8, 9, 10]]",
                java.util.Arrays.deepToString(m));
        assertEquals("[[], [2], [], [2]]", java.util.Arrays.deepToString(CsrLayer.merge(new int[]{2}, new int[0])));
    }

    /** Rows of {@code in} (width of them, {@code features} each) as a feature-major tile, as a network feeds a layer. */
    private static float[] featureMajor(float[] in, int features, int width) {
        float[] xt = CsrLayer.tile(features, width);
        for (int r = 0; r < width; r++) {
            for (int i = 0; i < features; i++) {
                xt[CsrLayer.BASE + i * width + r] = in[r * features + i];
            }
        }
        return xt;
    }

    /** The layer's product with a feature-major tile, in double precision, through ReLU if asked. */
    private static float[] tileProduct(Layer layer, float[] xt, int width, boolean relu) {
        int base = CsrLayer.BASE;
        float[] y = CsrLayer.tile(layer.out(), width);
        for (int j = 0; j < layer.out(); j++) {
            for (int r = 0; r < width; r++) {
                double sum = 0;
                for (int i = 0; i < layer.in(); i++) {
                    sum += (double) layer.weights()[i * layer.out() + j] * xt[base + i * width + r];
                }
                y[base + j * width + r] = (float) (relu ? Math.max(0, sum) : sum);
            }
        }
        return y;
    }

    @Test
    void everyCsrKernelGivesTheDenseProduct() {
        // whichever kernel this CPU runs, the others are checked too, each on a tile of its own width
        Mlp wide = randomMlp(23, 300, 40, 10);
        for (CsrLayer.Kernel k : CsrLayer.Kernel.values()) {
            int width = k.width();
            float[] in = inputs(24, width, 300);
            for (double p : new double[]{0, 50, 97}) {
                Layer layer = Method.WEIGHT.apply(wide, p, 0).layer(0);
                float[] xt = featureMajor(in, layer.in(), width);
                float[] expected = tileProduct(layer, xt, width, true);
                float[] y = CsrLayer.tile(layer.out(), width);
                new CsrLayer(layer, k).multiply(xt, y, true);
                assertTrue(InferenceTimer.maxAbsDiff(expected, y) < TOLERANCE, k + " at " + p + "%");
            }
        }
    }

    @Test
    void tiledFormsGiveTheSingleThreadOutputs() {
        Mlp pruned = Method.WEIGHT.apply(mlp, 90, 0);
        float[] one = new CsrNetwork(pruned).forwardAll(x, 150);
        for (int threads : new int[]{1, 2, 3}) {
            TiledForm tiled = new TiledForm(() -> new CsrNetwork(pruned), threads);
            assertEquals(threads, tiled.threads());
            // 150 rows are 3 CSR tiles of 64 (2 of 128): with 2 threads each thread takes some, the last partial
            assertEquals(0.0, InferenceTimer.maxAbsDiff(one, tiled.forwardAll(x, 150)), "csr on " + threads);
        }
        // the CSR form's threads share one copy of the layers, each with its own buffers, on every kernel
        float[] many = inputs(41, 1500, 50);
        for (CsrLayer.Kernel k : CsrLayer.Kernel.values()) {
            CsrNetwork first = new CsrNetwork(pruned, k);
            float[] alone = first.forwardAll(many, 1500);
            TiledForm shared = new TiledForm(first, first::sibling, 2);
            for (int pass = 0; pass < 3; pass++) {
                assertEquals(0.0, InferenceTimer.maxAbsDiff(alone, shared.forwardAll(many, 1500)), k + " shared");
            }
        }
        float[] dense = new DenseNetwork(pruned, 64, 1).forwardAll(x, 150);
        assertEquals(0.0, InferenceTimer.maxAbsDiff(dense,
                new TiledForm(() -> new DenseNetwork(pruned, 64, 1), 2).forwardAll(x, 150)), "dense on 2");
    }

    @Test
    void tiledFormsTakeTurnsOnTheSharedTeamAndSurviveFailingParts() throws Exception {
        Mlp pruned = Method.WEIGHT.apply(mlp, 90, 0);
        float[] many = inputs(43, 1500, 50);
        float[] alone = new CsrNetwork(pruned).forwardAll(many, 1500);
        float[] dense = new DenseNetwork(pruned, 64, 1).forwardAll(many, 1500);
        // two callers at once on the one 2-thread team: each pass whole and right
        TiledForm csr = new TiledForm(() -> new CsrNetwork(pruned), 2);
        TiledForm dn = new TiledForm(() -> new DenseNetwork(pruned, 64, 1), 2);
        List<Double> diffs = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread other = new Thread(() -> {
            for (int pass = 0; pass < 20; pass++) {
                diffs.add(InferenceTimer.maxAbsDiff(dense, dn.forwardAll(many, 1500)));
            }
        });
        other.start();
        for (int pass = 0; pass < 20; pass++) {
            diffs.add(InferenceTimer.maxAbsDiff(alone, csr.forwardAll(many, 1500)));
        }
        other.join();
        assertEquals(40, diffs.size());
        assertTrue(diffs.stream().allMatch(d -> d == 0.0), diffs.toString());
        // parts that throw (both: a caller held up for a while may find every batch claimed by the helper): the
        // exception reaches the caller once the other part is done, and the team runs the next pass
        CsrNetwork good = new CsrNetwork(pruned);
        TiledForm failing = new TiledForm(() -> new FailingForm(good), 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.forwardAll(many, 1500));
        assertEquals("batch refused", e.getMessage());
        assertEquals(0.0, InferenceTimer.maxAbsDiff(alone, csr.forwardAll(many, 1500)));
    }

    /** A form whose every batch fails, for the tiled form's error path. */
    private record FailingForm(InferenceForm like) implements InferenceForm {
        @Override
        public String name() {
            return like.name();
        }

        @Override
        public int batchSize() {
            return like.batchSize();
        }

        @Override
        public int threads() {
            return 1;
        }

        @Override
        public void forward(float[] x, int offset, int rows, float[] out, int outOffset) {
            throw new IllegalStateException("batch refused");
        }

        @Override
        public int inputs() {
            return like.inputs();
        }

        @Override
        public int classes() {
            return like.classes();
        }
    }

    @Test
    void compactionRemovesDeadNeuronsAndNextLayerRows() {
        Mlp pruned = Method.NEURON.apply(mlp, 50, 0);
        Mlp compact = CompactedNetwork.compact(pruned);
        // 40 -> 20, 30 -> 15, 20 -> 10 neurons; each next layer loses the matching rows
        assertEquals(List.of(50, 20, 15, 10, 10), compact.sizes());
        assertSameOutputs(pruned, compacted(pruned));
        Mlp p99 = Method.NEURON.apply(mlp, 99, 0);
        assertEquals(List.of(50, 1, 1, 1, 10), CompactedNetwork.compact(p99).sizes());
        assertSameOutputs(p99, compacted(p99));
        assertEquals(mlp.sizes(), CompactedNetwork.compact(Method.NEURON.apply(mlp, 0, 0)).sizes());
    }

    @Test
    void neuronsThatFeedNothingAreLeftOutOfBothForms() {
        // hidden neurons 0..4 of the first hidden layer have inputs but no nonzero outgoing weight: their values
        // never reach the outputs, so neither the compacted network nor the CSR form computes them
        List<Layer> layers = new ArrayList<>(mlp.layers());
        Layer second = layers.get(1);
        float[] w = second.weights().clone();
        java.util.Arrays.fill(w, 0, 5 * second.out(), 0f);
        layers.set(1, new Layer(second.in(), second.out(), w));
        Mlp feedsNothing = new Mlp(layers);
        CompactedNetwork.Compaction c = CompactedNetwork.compaction(feedsNothing);
        assertEquals(List.of(50, 35, 30, 20, 10), c.mlp().sizes());
        assertEquals(5, c.kept().get(0)[0], "the first neuron kept is neuron 5");
        assertSameOutputs(feedsNothing, compacted(feedsNothing));
        assertSameOutputs(feedsNothing, new CsrNetwork(feedsNothing));
        for (CsrLayer.Kernel k : CsrLayer.Kernel.values()) {
            assertSameOutputs(feedsNothing, new CsrNetwork(feedsNothing, k));
        }
        List<LayerCost> costs = FastForm.CSR.costs(feedsNothing);
        assertEquals(50 * 40, costs.get(0).kept(), "the variant's nonzeros");
        assertEquals(50 * 35, costs.get(0).fastWeights(), "those the CSR form holds");
        assertEquals(35, costs.get(0).fastOut());
        assertEquals(35, costs.get(1).fastIn());
        assertEquals(FastForm.CSR.parameters(feedsNothing), new CsrNetwork(feedsNothing).nonZeros());
        assertEquals(feedsNothing.nonZeros() - 5 * 50, new CsrNetwork(feedsNothing).nonZeros());
    }

    @Test
    void aLayerWiderThanTheCsrIndicesIsRefusedWithTheLimit() {
        // the inputs are indexed in 16 bits; the last one fits, one more does not
        float[] w = new float[CsrLayer.MAX_INPUTS + 1];
        w[CsrLayer.MAX_INPUTS - 1] = 2f;
        float[] x = CsrLayer.tile(CsrLayer.MAX_INPUTS, CsrLayer.Kernel.ANY.width());
        x[CsrLayer.BASE + (CsrLayer.MAX_INPUTS - 1) * CsrLayer.Kernel.ANY.width()] = 3f;
        float[] y = CsrLayer.tile(1, CsrLayer.Kernel.ANY.width());
        new CsrLayer(new Layer(CsrLayer.MAX_INPUTS, 1, java.util.Arrays.copyOf(w, CsrLayer.MAX_INPUTS)),
                CsrLayer.Kernel.ANY).multiply(x, y, false);
        assertEquals(6f, y[CsrLayer.BASE]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CsrLayer(new Layer(CsrLayer.MAX_INPUTS + 1, 1, w)));
        assertTrue(e.getMessage().contains("up to 65536 inputs"), e.getMessage());
    }

    @Test
    void edgeCasesEmptyRowsAndAnAllZeroLayer() {
        List<Layer> layers = new ArrayList<>(mlp.layers());
        Layer first = layers.get(0);
        float[] w = first.weights().clone();
        for (int i = 0; i < first.in(); i++) {
            for (int j = 0; j < 7; j++) {
                w[i * first.out() + j] = 0f; // neurons 0..6 get no input: empty CSR rows
            }
        }
        layers.set(0, new Layer(first.in(), first.out(), w));
        Mlp withEmptyRows = new Mlp(layers);
        assertSameOutputs(withEmptyRows, new CsrNetwork(withEmptyRows));
        assertEquals(33, CompactedNetwork.compact(withEmptyRows).sizes().get(1));
        assertSameOutputs(withEmptyRows, compacted(withEmptyRows));

        // inputs 0..9 read by no weight (MNIST's border pixels after heavy pruning): left out of the CSR input tile
        float[] w0 = first.weights().clone();
        java.util.Arrays.fill(w0, 0, 10 * first.out(), 0f);
        List<Layer> unread = new ArrayList<>(mlp.layers());
        unread.set(0, new Layer(first.in(), first.out(), w0));
        assertEquals(first.in() - 10, CsrLayer.usedInputs(unread.get(0)).length);
        assertSameOutputs(new Mlp(unread), new CsrNetwork(new Mlp(unread)));

        Layer second = layers.get(1);
        layers.set(1, new Layer(second.in(), second.out(), new float[second.size()]));
        Mlp allZero = new Mlp(layers);
        assertSameOutputs(allZero, new CsrNetwork(allZero));
        assertSameOutputs(allZero, compacted(allZero));
        // every row's output is the uniform softmax of zero logits
        float[] out = new CsrNetwork(allZero).forwardAll(x, 150);
        assertEquals(0.1f, out[0], 1e-6f);
    }
}

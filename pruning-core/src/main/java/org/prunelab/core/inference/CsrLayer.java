package org.prunelab.core.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.prunelab.core.model.Layer;

/**
 * A weight matrix in compressed sparse row form of its transpose: one row per output neuron listing the inputs it
 * has a nonzero weight from. Activations are kept feature-major, [features, width]: the width batch values of one
 * feature are contiguous, so every nonzero weight is one broadcast multiply-add over a whole tile of the batch, with
 * SIMD lanes across the batch. The width is the kernel's: 8 vectors.
 *
 * <p>The inputs are split into blocks whose slice of the activation tile fits the L1 cache (the kernel's
 * {@link Kernel#l1Bytes}: 72 rows of the 16-lane kernel's 128-wide tile). Without blocking, every nonzero pulled
 * its bytes from L2 and the kernel ran at L2 bandwidth, about 3x below its FMA bound on this project's machines.
 * Each block adds a read-modify-write of the output row, so a sparse layer gets fewer blocks: about one per 16
 * nonzeros of an output row. Whole network, one thread, AMD EPYC with a 48 KiB L1, settings timed round-robin in one
 * process against the dense pass: 36 KiB and 16 made the speed-up 2-3 % higher at 50 % (1.24 against 1.22, 1.26
 * against 1.23, 1.22 against 1.18 in three launches) and 7 % at 90 % (4.40 against 4.12) than 28 KiB and 24;
 * 20-24 KiB or 44-80 KiB were slower at 50 %.
 *
 * <p>Within a block the output rows are visited in an order that finds their input rows in L1 more often: rows
 * reading the same inputs one after another ({@link #reuseOrder}). The 16-lane kernel takes them in pairs that share
 * inputs ({@link #pairs}): a shared input row is loaded once for both rows' multiply-adds, and the kernel is bound by
 * its loads. Of the hidden layers' nonzeros of a 10-epoch MNIST model, 41 % are shared that way at 90 % weight
 * pruning, 68 % at 50 %, 29 % at 99 %.
 */
public final class CsrLayer {
    /**
     * The offset (floats) of the first 64-byte line within every float array, known where the JVM aligns objects to
     * 64 bytes ({@code -XX:ObjectAlignmentInBytes=64}, as jvm.options sets): an array's data then starts a fixed
     * header size past a line. The kernels' tiles start there, so that every tile row is 4 whole cache lines and no
     * vector load straddles two. With the JVM's default 8-byte alignment the data lands anywhere a multiple of 8
     * bytes past a line, and varies with the launch and the GC: the same CSR network at 50 % ran 338, 470 and 497 ms
     * in three launches on an AMD EPYC of this project's kind.
     */
    static final int BASE;
    /** Whether {@link #BASE} is known: tiles are line-aligned (a row of either kernel's width is whole lines). */
    static final boolean ALIGNED;

    static {
        ALIGNED = objectAlignment() >= 64;
        // data start = object start + header; the header is the same for every float array
        int header = sun.misc.Unsafe.ARRAY_FLOAT_BASE_OFFSET;
        BASE = ALIGNED ? (64 - header % 64) % 64 / Float.BYTES : 0;
    }

    /**
     * The generic kernel's vectors: 8 lanes where the CPU has 8 or more. With AVX-512's 16 lanes its accumulator array
     * was not kept in registers, and the CSR form ran 7-25x slower than dense on such a machine.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.length() >= 8
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;

    /** The inner loops; {@link #FASTEST} for this CPU, the others selectable so that tests check them all. */
    enum Kernel {
        /**
         * AVX-512 (16 lanes), on line-aligned tiles only: a 128-wide tile in 8 accumulators per row (16 for a pair
         * of rows, {@link CsrLayer#pairs}). Before pairs: whole network, one thread, AMD EPYC of this project's kind,
         * median of 9, four launches: 205-210 ms at 50 %, 63-66 at 90 %, 15.1-16.1 at 99 %, where the 8-lane kernel on
         * aligned tiles ran 319-324, 82-83 and (unaligned) 338-497, 93-131, 18.5. A 64-wide tile in two sets of 4
         * accumulators taking alternate nonzeros ran 253-258, 64-67, 15.5; on tiles 16 bytes off a line, where every
         * 64-byte load straddles two lines, it ran like the 8-lane kernel.
         */
        LANES16(128, 36 * 1024),
        /** AVX2 (8 lanes): a 64-wide tile in 8 accumulators held in named locals. */
        LANES8(64, 28 * 1024),
        /** Any width: an array of accumulators (slow where the JIT does not keep them in registers). */
        ANY(64, 28 * 1024);

        private final int width;
        private final int l1Bytes;

        /**
         * @param l1Bytes bytes of the tile's input rows one block reads: an L1 data cache's share, with room for the
         *                output rows. Measured where each kernel runs: 28 KiB on AVX2 EPYCs (32 KiB L1), 36 KiB on
         *                the AVX-512 EPYC (48 KiB L1).
         */
        Kernel(int width, int l1Bytes) {
            this.width = width;
            this.l1Bytes = l1Bytes;
        }

        /** Bytes of input rows per block. */
        int l1Bytes() {
            return l1Bytes;
        }

        /** Batch rows one pass of the kernel handles: the tile's width. */
        int width() {
            return width;
        }
    }

    static final Kernel FASTEST = FloatVector.SPECIES_PREFERRED.length() >= 16 && ALIGNED ? Kernel.LANES16
            : S.length() == 8 ? Kernel.LANES8 : Kernel.ANY;
    private static final int NONZEROS_PER_BLOCK_ROW = 16;
    /** log2 of the 16- and 8-lane kernels' tile widths: a tile row starts at BASE + (row << shift). */
    private static final int SHIFT16 = Integer.numberOfTrailingZeros(Kernel.LANES16.width());
    private static final int SHIFT8 = Integer.numberOfTrailingZeros(Kernel.LANES8.width());
    /** The narrow tile's width ({@link #multiplyNarrow}): one 16-lane vector, a 64-byte line per feature. */
    static final int NARROW = 16;
    private static final int NARROW_SHIFT = Integer.numberOfTrailingZeros(NARROW);
    /** No inputs: a single row's shared and second-row lists. */
    private static final int[] NONE = new int[0];
    /** The most inputs a layer can have here: {@link #offsets} are 16 bits (a trained layer has at most 20,000). */
    static final int MAX_INPUTS = 1 << 16;

    private final int in;
    private final int out;
    private final int blocks;
    /**
     * unitStart[b]..unitStart[b + 1]: the units visited in input block b, in their visiting order. A unit is one
     * output row or, with the 16-lane kernel, two ({@link #pairs}).
     */
    private final int[] unitStart;
    /** unitStart[b]..pairEnd[b]: block b's pairs of rows; pairEnd[b]..unitStart[b + 1]: its single rows. */
    private final int[] pairEnd;
    /** Where unit k's first output row starts in the output tile. */
    private final int[] rowA;
    /** Where unit k's second output row starts in the output tile; -1 for a unit of one row. */
    private final int[] rowB;
    /**
     * shared[k]..shared[k + 1]: the inputs both rows of unit k read in its block, at {@link #sharedOffsets}, with the
     * two rows' weights side by side in {@link #sharedVals}.
     */
    private final int[] shared;
    private final char[] sharedOffsets;
    private final float[] sharedVals;
    /**
     * single[2k]..single[2k + 1]: the inputs only unit k's first row reads, at {@link #offsets} with their weights in
     * {@link #vals}; single[2k + 1]..single[2k + 2]: those only its second row reads.
     */
    private final int[] single;
    /**
     * Each nonzero's input: its row of the activation tile, which starts at BASE + row * width. 16 bits, as the
     * layers' inputs are at most {@link #MAX_INPUTS}: the passes stream these arrays from L3 or memory once per tile,
     * and a nonzero took 8 bytes with an int where it now takes 6.
     */
    private final char[] offsets;
    private final float[] vals;
    private final Kernel kernel;
    /** The kernel's tile width. */
    private final int tile;

    public CsrLayer(Layer layer) {
        this(layer, FASTEST);
    }

    CsrLayer(Layer layer, Kernel kernel) {
        this(layer, java.util.stream.IntStream.range(0, layer.in()).toArray(), kernel);
    }

    /**
     * @param inputs the layer's inputs held in the activation tile, in tile-row order: row u of the tile is input
     *               {@code inputs[u]}. Inputs left out must have no nonzero weight.
     */
    CsrLayer(Layer layer, int[] inputs, Kernel kernel) {
        if (inputs.length > MAX_INPUTS) {
            throw new IllegalArgumentException("the CSR form takes layers of up to " + MAX_INPUTS + " inputs, got "
                    + inputs.length);
        }
        this.kernel = kernel;
        this.tile = kernel.width();
        this.in = inputs.length;
        this.out = layer.out();
        int nnz = (int) (layer.size() - layer.zeros());
        int perRow = nnz / out;
        int l1Rows = kernel.l1Bytes() / (tile * Float.BYTES);
        this.blocks = Math.max(1, Math.min((in + l1Rows - 1) / l1Rows, perRow / NONZEROS_PER_BLOCK_ROW));
        int blockRows = (in + blocks - 1) / blocks;
        float[] w = layer.weights();
        unitStart = new int[blocks + 1];
        pairEnd = new int[blocks];
        int[] firstRows = new int[blocks * out];
        int[] secondRows = new int[blocks * out];
        int[] sh = new int[blocks * out + 1];
        int[] si = new int[2 * blocks * out + 1];
        char[] shOff = new char[nnz / 2];
        float[] shVal = new float[nnz / 2 * 2];
        char[] off = new char[nnz];
        float[] val = new float[nnz];
        int units = 0;
        int ns = 0; // shared inputs
        int p = 0; // single nonzeros
        for (int b = 0; b < blocks; b++) {
            int from = b * blockRows;
            int to = Math.min(in, from + blockRows);
            int[][] rowInputs = new int[out][];
            int[] read = new int[to - from];
            for (int j = 0; j < out; j++) {
                int c = 0;
                for (int u = from; u < to; u++) {
                    if (w[inputs[u] * out + j] != 0f) {
                        read[c++] = u;
                    }
                }
                rowInputs[j] = java.util.Arrays.copyOf(read, c);
            }
            int[][] unit = kernel == Kernel.LANES16 ? pairs(rowInputs, from, to) : singles(out);
            // each unit's inputs split once: [shared, only the first row's, only the second's, all of them]
            int[][][] split = new int[unit.length][][];
            int[][] unitInputs = new int[unit.length][];
            for (int k = 0; k < unit.length; k++) {
                int[] ra = rowInputs[unit[k][0]];
                split[k] = unit[k].length == 1 ? new int[][]{NONE, ra, NONE, ra}
                        : merge(ra, rowInputs[unit[k][1]]);
                unitInputs[k] = split[k][3];
            }
            unitStart[b] = units;
            int[] order = reuseOrder(unitInputs, in, l1Rows);
            // the pairs first, then the single rows, each in the visiting order
            int[] paired = java.util.Arrays.stream(order).filter(k -> unit[k].length == 2).toArray();
            pairEnd[b] = units + paired.length;
            order = java.util.stream.IntStream.concat(java.util.Arrays.stream(paired),
                    java.util.Arrays.stream(order).filter(k -> unit[k].length == 1)).toArray();
            for (int k : order) {
                int ja = unit[k][0];
                int jb = unit[k].length == 2 ? unit[k][1] : -1;
                firstRows[units] = BASE + ja * tile;
                secondRows[units] = jb < 0 ? -1 : BASE + jb * tile;
                for (int u : split[k][0]) {
                    shOff[ns] = (char) u;
                    shVal[2 * ns] = w[inputs[u] * out + ja];
                    shVal[2 * ns + 1] = w[inputs[u] * out + jb];
                    ns++;
                }
                sh[units + 1] = ns;
                si[2 * units] = p;
                for (int u : split[k][1]) {
                    off[p] = (char) u;
                    val[p++] = w[inputs[u] * out + ja];
                }
                si[2 * units + 1] = p;
                for (int u : split[k][2]) {
                    off[p] = (char) u;
                    val[p++] = w[inputs[u] * out + jb];
                }
                si[2 * units + 2] = p;
                units++;
            }
        }
        unitStart[blocks] = units;
        if (p + 2 * ns != nnz) {
            throw new IllegalArgumentException("inputs left out of the tile have nonzero weights");
        }
        rowA = java.util.Arrays.copyOf(firstRows, units);
        rowB = java.util.Arrays.copyOf(secondRows, units);
        shared = java.util.Arrays.copyOf(sh, units + 1);
        single = java.util.Arrays.copyOf(si, 2 * units + 1);
        sharedOffsets = java.util.Arrays.copyOf(shOff, ns);
        sharedVals = java.util.Arrays.copyOf(shVal, 2 * ns);
        offsets = java.util.Arrays.copyOf(off, p);
        vals = java.util.Arrays.copyOf(val, p);
    }

    /**
     * Two ascending lists of inputs in one merge: {inputs in both, only in a, only in b, in either}, each ascending.
     */
    static int[][] merge(int[] a, int[] b) {
        int[] both = new int[Math.min(a.length, b.length)];
        int[] onlyA = new int[a.length];
        int[] onlyB = new int[b.length];
        int[] either = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int nb = 0;
        int na = 0;
        int nob = 0;
        int ne = 0;
        while (i < a.length || j < b.length) {
            if (j == b.length || i < a.length && a[i] < b[j]) {
                onlyA[na++] = a[i];
                either[ne++] = a[i++];
            } else if (i == a.length || b[j] < a[i]) {
                onlyB[nob++] = b[j];
                either[ne++] = b[j++];
            } else {
                both[nb++] = a[i];
                either[ne++] = a[i];
                i++;
                j++;
            }
        }
        return new int[][]{java.util.Arrays.copyOf(both, nb), java.util.Arrays.copyOf(onlyA, na),
                java.util.Arrays.copyOf(onlyB, nob), java.util.Arrays.copyOf(either, ne)};
    }

    /** Every output row a unit of its own. */
    private static int[][] singles(int rows) {
        int[][] units = new int[rows][];
        for (int j = 0; j < rows; j++) {
            units[j] = new int[]{j};
        }
        return units;
    }

    /**
     * The output rows in pairs that read many of the same inputs, for the 16-lane kernel: an input both rows of a
     * pair read is loaded once for two multiply-adds, and the kernel is bound by its loads, not its multiply-adds.
     * Greedily, rows with most inputs first, each with the unpaired row it shares most inputs with; a row that shares
     * none with any stays alone. Whole CSR passes of a 10-epoch MNIST model's weight-pruned variants, the previous
     * kernel's over this one's, alternating in one process, one thread, AMD EPYC of this project's kind: 1.48 at 0 %,
     * 1.16 at 50 %, 1.11 at 70 %, 1.02 at 90 %, 1.04 at 95 %, 1.09 at 97 %, 1.10 at 99 %. They gain least at 90 %,
     * where a row has about 16 inputs per block, and the two rows' own inputs run in two more short loops (why it is
     * so little there was not found).
     *
     * @param rowInputs each output row's inputs within the block (tile rows from {@code from} to {@code to}), ascending
     * @return units of one or two rows, every row in exactly one
     */
    static int[][] pairs(int[][] rowInputs, int from, int to) {
        int n = rowInputs.length;
        int words = Math.max(1, (to - from + 63) >>> 6);
        long[][] bits = new long[n][words];
        for (int j = 0; j < n; j++) {
            for (int u : rowInputs[j]) {
                bits[j][(u - from) >>> 6] |= 1L << (u - from);
            }
        }
        Integer[] byCount = new Integer[n];
        for (int j = 0; j < n; j++) {
            byCount[j] = j;
        }
        java.util.Arrays.sort(byCount, (x, y) -> Integer.compare(rowInputs[y].length, rowInputs[x].length));
        boolean[] taken = new boolean[n];
        java.util.List<int[]> units = new java.util.ArrayList<>();
        for (int ja : byCount) {
            if (taken[ja]) {
                continue;
            }
            taken[ja] = true;
            long[] ba = bits[ja];
            int best = -1;
            int most = 0;
            for (int jb = 0; jb < n; jb++) {
                if (taken[jb]) {
                    continue;
                }
                long[] bb = bits[jb];
                int common = 0;
                for (int k = 0; k < words; k++) {
                    common += Long.bitCount(ba[k] & bb[k]);
                }
                if (common > most) {
                    most = common;
                    best = jb;
                }
            }
            if (best >= 0) {
                taken[best] = true;
                units.add(new int[]{ja, best});
            } else {
                units.add(new int[]{ja});
            }
        }
        return units.toArray(new int[0][]);
    }

    /**
     * An order to visit the output rows in so that a row's input rows are often still in L1 from the rows just before
     * it: greedily, next the row with most inputs among the {@code window} input rows used most recently (a model of
     * an L1 cache holding that many rows, least recently used out first). The order changes no row's sum, only which
     * input rows the kernel finds in L1 and which it pulls from L2: at 99 % weight pruning each nonzero pulls a
     * 512-byte input row, most of them from L2, and the layers ran at L2's bandwidth. Whole layers, 10-epoch MNIST
     * model, AMD EPYC of this project's kind, one thread, alternating passes: at 99 % 7.0-7.3 -> 6.2-6.3 ms, at 90 %
     * 52.8-54.2 -> 49.4-50.6 ms; at 50 % no difference (197-199 ms).
     *
     * @param rowInputs each output row's inputs (tile rows), ascending
     * @param inputs    rows of the input tile
     * @return a permutation of the output rows
     */
    static int[] reuseOrder(int[][] rowInputs, int inputs, int window) {
        int n = rowInputs.length;
        // users[u]: the rows reading input u
        int[] count = new int[inputs];
        for (int[] r : rowInputs) {
            for (int u : r) {
                count[u]++;
            }
        }
        int[][] users = new int[inputs][];
        for (int u = 0; u < inputs; u++) {
            users[u] = new int[count[u]];
        }
        int[] filled = new int[inputs];
        for (int j = 0; j < n; j++) {
            for (int u : rowInputs[j]) {
                users[u][filled[u]++] = j;
            }
        }
        // score[j]: how many of row j's inputs are in the modelled cache, a list from least to most recently used
        int[] score = new int[n];
        boolean[] visited = new boolean[n];
        boolean[] cached = new boolean[inputs];
        int[] prev = new int[inputs];
        int[] next = new int[inputs];
        int head = -1;
        int tail = -1;
        int size = 0;
        int[] order = new int[n];
        for (int q = 0; q < n; q++) {
            int best = -1;
            for (int j = 0; j < n; j++) {
                if (!visited[j] && (best < 0 || score[j] > score[best])) {
                    best = j;
                }
            }
            visited[best] = true;
            order[q] = best;
            for (int u : rowInputs[best]) {
                if (cached[u]) {
                    if (u == tail) {
                        continue;
                    }
                    // out of the list, to go back in as the most recent
                    if (prev[u] >= 0) {
                        next[prev[u]] = next[u];
                    } else {
                        head = next[u];
                    }
                    prev[next[u]] = prev[u]; // u is not the tail, so it has a next
                    size--;
                } else {
                    if (size == window) {
                        int evicted = head;
                        head = next[evicted];
                        if (head >= 0) {
                            prev[head] = -1;
                        } else {
                            tail = -1;
                        }
                        size--;
                        cached[evicted] = false;
                        for (int j : users[evicted]) {
                            score[j]--;
                        }
                    }
                    cached[u] = true;
                    for (int j : users[u]) {
                        score[j]++;
                    }
                }
                prev[u] = tail;
                next[u] = -1;
                if (tail >= 0) {
                    next[tail] = u;
                } else {
                    head = u;
                }
                tail = u;
                size++;
            }
        }
        return order;
    }

    /** The inputs of {@code layer} that have a nonzero weight to some output, ascending. */
    static int[] usedInputs(Layer layer) {
        float[] w = layer.weights();
        return java.util.stream.IntStream.range(0, layer.in()).filter(i -> {
            for (int j = 0, at = i * layer.out(); j < layer.out(); j++) {
                if (w[at + j] != 0f) {
                    return true;
                }
            }
            return false;
        }).toArray();
    }

    /** Rows of the input tile: the inputs it reads. */
    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public int nonZeros() {
        return vals.length + sharedVals.length;
    }

    /** Input blocks this layer is split into. */
    public int blocks() {
        return blocks;
    }

    /** A zeroed activation tile of {@code rows} features, [rows, width] from {@link #BASE}. */
    static float[] tile(int rows, int width) {
        return new float[BASE + Math.max(1, rows) * width];
    }

    /** JVM's object alignment in bytes; 8 (its default) where it cannot be read. */
    private static int objectAlignment() {
        try {
            return Integer.parseInt(java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("ObjectAlignmentInBytes").getValue());
        } catch (RuntimeException e) {
            return 8;
        }
    }

    /**
     * y[j, 0..width) = sum over nonzeros (i, w) of row j of w * x[i, 0..width), then ReLU if asked.
     * x is [in, width] and y is [out, width], both feature-major from {@link #BASE} ({@link #tile}), width the
     * kernel's.
     */
    public void multiply(float[] x, float[] y, boolean relu) {
        for (int b = 0; b < blocks; b++) {
            boolean first = b == 0;
            boolean last = b == blocks - 1;
            switch (kernel) {
                case LANES16 -> block16(x, y, b, first, last && relu);
                case LANES8 -> block8(x, y, b, first, last && relu);
                case ANY -> blockAnyWidth(x, y, b, first, last && relu);
            }
        }
    }

    /**
     * AVX-512 (16 lanes): the block's pairs of rows, then its single rows, each loop written out in full here: called
     * per unit as methods of their own, the kernels ran the whole 90 % network 10 % slower (59 against 54 ms).
     *
     * <p>A row keeps the 128-wide tile in 8 accumulators, so each nonzero's offset and value are read once and its
     * weight broadcast once, for 8 loads and 8 FMAs (8 independent chains cover a multiply-add's latency). A pair keeps
     * 16: first the inputs both rows read, each loaded once for two FMAs, then each row's own.
     */
    private void block16(float[] x, float[] y, int block, boolean first, boolean relu) {
        FloatVector zero = FloatVector.zero(S16);
        for (int k = unitStart[block], last = pairEnd[block]; k < last; k++) {
            int o = rowA[k];
            int q = rowB[k];
            FloatVector a0 = first ? zero : FloatVector.fromArray(S16, y, o);
            FloatVector a1 = first ? zero : FloatVector.fromArray(S16, y, o + 16);
            FloatVector a2 = first ? zero : FloatVector.fromArray(S16, y, o + 32);
            FloatVector a3 = first ? zero : FloatVector.fromArray(S16, y, o + 48);
            FloatVector a4 = first ? zero : FloatVector.fromArray(S16, y, o + 64);
            FloatVector a5 = first ? zero : FloatVector.fromArray(S16, y, o + 80);
            FloatVector a6 = first ? zero : FloatVector.fromArray(S16, y, o + 96);
            FloatVector a7 = first ? zero : FloatVector.fromArray(S16, y, o + 112);
            FloatVector c0 = first ? zero : FloatVector.fromArray(S16, y, q);
            FloatVector c1 = first ? zero : FloatVector.fromArray(S16, y, q + 16);
            FloatVector c2 = first ? zero : FloatVector.fromArray(S16, y, q + 32);
            FloatVector c3 = first ? zero : FloatVector.fromArray(S16, y, q + 48);
            FloatVector c4 = first ? zero : FloatVector.fromArray(S16, y, q + 64);
            FloatVector c5 = first ? zero : FloatVector.fromArray(S16, y, q + 80);
            FloatVector c6 = first ? zero : FloatVector.fromArray(S16, y, q + 96);
            FloatVector c7 = first ? zero : FloatVector.fromArray(S16, y, q + 112);
            for (int e = shared[k], end = shared[k + 1]; e < end; e++) {
                FloatVector w = FloatVector.broadcast(S16, sharedVals[2 * e]);
                FloatVector v = FloatVector.broadcast(S16, sharedVals[2 * e + 1]);
                int b = BASE + (sharedOffsets[e] << SHIFT16);
                FloatVector t0 = FloatVector.fromArray(S16, x, b);
                FloatVector t1 = FloatVector.fromArray(S16, x, b + 16);
                FloatVector t2 = FloatVector.fromArray(S16, x, b + 32);
                FloatVector t3 = FloatVector.fromArray(S16, x, b + 48);
                a0 = t0.fma(w, a0);
                c0 = t0.fma(v, c0);
                a1 = t1.fma(w, a1);
                c1 = t1.fma(v, c1);
                a2 = t2.fma(w, a2);
                c2 = t2.fma(v, c2);
                a3 = t3.fma(w, a3);
                c3 = t3.fma(v, c3);
                FloatVector t4 = FloatVector.fromArray(S16, x, b + 64);
                FloatVector t5 = FloatVector.fromArray(S16, x, b + 80);
                FloatVector t6 = FloatVector.fromArray(S16, x, b + 96);
                FloatVector t7 = FloatVector.fromArray(S16, x, b + 112);
                a4 = t4.fma(w, a4);
                c4 = t4.fma(v, c4);
                a5 = t5.fma(w, a5);
                c5 = t5.fma(v, c5);
                a6 = t6.fma(w, a6);
                c6 = t6.fma(v, c6);
                a7 = t7.fma(w, a7);
                c7 = t7.fma(v, c7);
            }
            for (int p = single[2 * k], end = single[2 * k + 1]; p < end; p++) {
                FloatVector w = FloatVector.broadcast(S16, vals[p]);
                int b = BASE + (offsets[p] << SHIFT16);
                a0 = FloatVector.fromArray(S16, x, b).fma(w, a0);
                a1 = FloatVector.fromArray(S16, x, b + 16).fma(w, a1);
                a2 = FloatVector.fromArray(S16, x, b + 32).fma(w, a2);
                a3 = FloatVector.fromArray(S16, x, b + 48).fma(w, a3);
                a4 = FloatVector.fromArray(S16, x, b + 64).fma(w, a4);
                a5 = FloatVector.fromArray(S16, x, b + 80).fma(w, a5);
                a6 = FloatVector.fromArray(S16, x, b + 96).fma(w, a6);
                a7 = FloatVector.fromArray(S16, x, b + 112).fma(w, a7);
            }
            for (int p = single[2 * k + 1], end = single[2 * k + 2]; p < end; p++) {
                FloatVector w = FloatVector.broadcast(S16, vals[p]);
                int b = BASE + (offsets[p] << SHIFT16);
                c0 = FloatVector.fromArray(S16, x, b).fma(w, c0);
                c1 = FloatVector.fromArray(S16, x, b + 16).fma(w, c1);
                c2 = FloatVector.fromArray(S16, x, b + 32).fma(w, c2);
                c3 = FloatVector.fromArray(S16, x, b + 48).fma(w, c3);
                c4 = FloatVector.fromArray(S16, x, b + 64).fma(w, c4);
                c5 = FloatVector.fromArray(S16, x, b + 80).fma(w, c5);
                c6 = FloatVector.fromArray(S16, x, b + 96).fma(w, c6);
                c7 = FloatVector.fromArray(S16, x, b + 112).fma(w, c7);
            }
            if (relu) {
                a0 = a0.max(zero);
                a1 = a1.max(zero);
                a2 = a2.max(zero);
                a3 = a3.max(zero);
                a4 = a4.max(zero);
                a5 = a5.max(zero);
                a6 = a6.max(zero);
                a7 = a7.max(zero);
                c0 = c0.max(zero);
                c1 = c1.max(zero);
                c2 = c2.max(zero);
                c3 = c3.max(zero);
                c4 = c4.max(zero);
                c5 = c5.max(zero);
                c6 = c6.max(zero);
                c7 = c7.max(zero);
            }
            a0.intoArray(y, o);
            a1.intoArray(y, o + 16);
            a2.intoArray(y, o + 32);
            a3.intoArray(y, o + 48);
            a4.intoArray(y, o + 64);
            a5.intoArray(y, o + 80);
            a6.intoArray(y, o + 96);
            a7.intoArray(y, o + 112);
            c0.intoArray(y, q);
            c1.intoArray(y, q + 16);
            c2.intoArray(y, q + 32);
            c3.intoArray(y, q + 48);
            c4.intoArray(y, q + 64);
            c5.intoArray(y, q + 80);
            c6.intoArray(y, q + 96);
            c7.intoArray(y, q + 112);
        }
        for (int k = pairEnd[block], last = unitStart[block + 1]; k < last; k++) {
            int o = rowA[k];
            FloatVector a0 = first ? zero : FloatVector.fromArray(S16, y, o);
            FloatVector a1 = first ? zero : FloatVector.fromArray(S16, y, o + 16);
            FloatVector a2 = first ? zero : FloatVector.fromArray(S16, y, o + 32);
            FloatVector a3 = first ? zero : FloatVector.fromArray(S16, y, o + 48);
            FloatVector a4 = first ? zero : FloatVector.fromArray(S16, y, o + 64);
            FloatVector a5 = first ? zero : FloatVector.fromArray(S16, y, o + 80);
            FloatVector a6 = first ? zero : FloatVector.fromArray(S16, y, o + 96);
            FloatVector a7 = first ? zero : FloatVector.fromArray(S16, y, o + 112);
            for (int p = single[2 * k], end = single[2 * k + 1]; p < end; p++) {
                FloatVector w = FloatVector.broadcast(S16, vals[p]);
                int b = BASE + (offsets[p] << SHIFT16);
                a0 = FloatVector.fromArray(S16, x, b).fma(w, a0);
                a1 = FloatVector.fromArray(S16, x, b + 16).fma(w, a1);
                a2 = FloatVector.fromArray(S16, x, b + 32).fma(w, a2);
                a3 = FloatVector.fromArray(S16, x, b + 48).fma(w, a3);
                a4 = FloatVector.fromArray(S16, x, b + 64).fma(w, a4);
                a5 = FloatVector.fromArray(S16, x, b + 80).fma(w, a5);
                a6 = FloatVector.fromArray(S16, x, b + 96).fma(w, a6);
                a7 = FloatVector.fromArray(S16, x, b + 112).fma(w, a7);
            }
            // ReLU here, not through the shared store(): that helper, compiled on its own, saw 8- and 16-lane vectors
            // and ran the Vector API's Java fallback instead of the instructions (measured in the evaluator: most of
            // its CSR time in FloatVector.lanewiseTemplate)
            if (relu) {
                a0 = a0.max(zero);
                a1 = a1.max(zero);
                a2 = a2.max(zero);
                a3 = a3.max(zero);
                a4 = a4.max(zero);
                a5 = a5.max(zero);
                a6 = a6.max(zero);
                a7 = a7.max(zero);
            }
            a0.intoArray(y, o);
            a1.intoArray(y, o + 16);
            a2.intoArray(y, o + 32);
            a3.intoArray(y, o + 48);
            a4.intoArray(y, o + 64);
            a5.intoArray(y, o + 80);
            a6.intoArray(y, o + 96);
            a7.intoArray(y, o + 112);
        }
    }

    /**
     * y = relu?(W x) on tiles {@link #NARROW} wide (one 16-lane vector per feature), with the 16-lane kernel's layout:
     * a set's last few rows, which in a whole tile would cost as much as 128 (the 10,000 MNIST test images are 78
     * tiles and 16 rows).
     */
    void multiplyNarrow(float[] x, float[] y, boolean relu) {
        if (kernel != Kernel.LANES16) {
            throw new IllegalStateException("narrow tiles are the 16-lane kernel's, this layer has " + kernel);
        }
        for (int b = 0; b < blocks; b++) {
            blockNarrow(x, y, b, b == 0, b == blocks - 1 && relu);
        }
    }

    /**
     * {@link #block16} on a 16-wide tile: a row's one vector in two accumulators taking alternate nonzeros, a pair's
     * two in four, so that no chain of multiply-adds waits on the one before. The loop over a row's own nonzeros is
     * written out three times: as a helper taking and returning the accumulator, the 16-row tail ran 1.7-2x slower
     * than a whole 128-wide tile (its vectors boxed), where written out it takes 0.43-0.66 of one.
     */
    private void blockNarrow(float[] x, float[] y, int block, boolean first, boolean relu) {
        FloatVector zero = FloatVector.zero(S16);
        int shift = SHIFT16 - NARROW_SHIFT;
        for (int k = unitStart[block], last = pairEnd[block]; k < last; k++) {
            int o = BASE + ((rowA[k] - BASE) >> shift);
            int q = BASE + ((rowB[k] - BASE) >> shift);
            FloatVector a0 = first ? zero : FloatVector.fromArray(S16, y, o);
            FloatVector c0 = first ? zero : FloatVector.fromArray(S16, y, q);
            FloatVector a1 = zero;
            FloatVector c1 = zero;
            int e = shared[k];
            for (int end = shared[k + 1] - 1; e < end; e += 2) {
                FloatVector t0 = FloatVector.fromArray(S16, x, BASE + (sharedOffsets[e] << NARROW_SHIFT));
                FloatVector t1 = FloatVector.fromArray(S16, x, BASE + (sharedOffsets[e + 1] << NARROW_SHIFT));
                a0 = t0.fma(FloatVector.broadcast(S16, sharedVals[2 * e]), a0);
                c0 = t0.fma(FloatVector.broadcast(S16, sharedVals[2 * e + 1]), c0);
                a1 = t1.fma(FloatVector.broadcast(S16, sharedVals[2 * e + 2]), a1);
                c1 = t1.fma(FloatVector.broadcast(S16, sharedVals[2 * e + 3]), c1);
            }
            if (e < shared[k + 1]) {
                FloatVector t0 = FloatVector.fromArray(S16, x, BASE + (sharedOffsets[e] << NARROW_SHIFT));
                a0 = t0.fma(FloatVector.broadcast(S16, sharedVals[2 * e]), a0);
                c0 = t0.fma(FloatVector.broadcast(S16, sharedVals[2 * e + 1]), c0);
            }
            int p = single[2 * k];
            for (int end = single[2 * k + 1] - 1; p < end; p += 2) {
                a0 = FloatVector.fromArray(S16, x, BASE + (offsets[p] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p]), a0);
                a1 = FloatVector.fromArray(S16, x, BASE + (offsets[p + 1] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p + 1]), a1);
            }
            if (p < single[2 * k + 1]) {
                a0 = FloatVector.fromArray(S16, x, BASE + (offsets[p] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p]), a0);
            }
            p = single[2 * k + 1];
            for (int end = single[2 * k + 2] - 1; p < end; p += 2) {
                c0 = FloatVector.fromArray(S16, x, BASE + (offsets[p] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p]), c0);
                c1 = FloatVector.fromArray(S16, x, BASE + (offsets[p + 1] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p + 1]), c1);
            }
            if (p < single[2 * k + 2]) {
                c0 = FloatVector.fromArray(S16, x, BASE + (offsets[p] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p]), c0);
            }
            a0 = a0.add(a1);
            c0 = c0.add(c1);
            if (relu) {
                a0 = a0.max(zero);
                c0 = c0.max(zero);
            }
            a0.intoArray(y, o);
            c0.intoArray(y, q);
        }
        for (int k = pairEnd[block], last = unitStart[block + 1]; k < last; k++) {
            int o = BASE + ((rowA[k] - BASE) >> shift);
            FloatVector a0 = first ? zero : FloatVector.fromArray(S16, y, o);
            FloatVector a1 = zero;
            int p = single[2 * k];
            for (int end = single[2 * k + 1] - 1; p < end; p += 2) {
                a0 = FloatVector.fromArray(S16, x, BASE + (offsets[p] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p]), a0);
                a1 = FloatVector.fromArray(S16, x, BASE + (offsets[p + 1] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p + 1]), a1);
            }
            if (p < single[2 * k + 1]) {
                a0 = FloatVector.fromArray(S16, x, BASE + (offsets[p] << NARROW_SHIFT))
                        .fma(FloatVector.broadcast(S16, vals[p]), a0);
            }
            a0 = a0.add(a1);
            if (relu) {
                a0 = a0.max(zero);
            }
            a0.intoArray(y, o);
        }
    }

    /**
     * AVX2 (8 lanes): the whole 64-wide tile in 8 accumulators, so each nonzero's offset and value are read once and
     * its weight broadcast once, for 8 loads and 8 FMAs. The same shape as {@link #block16}'s single rows, written out
     * again: one method taking the species would see both vector shapes, and compiled on its own would run the Vector
     * API's fallback (as store() did while the 16-lane kernel called it too). Units are single rows: two rows' 16
     * accumulators would fill AVX2's 16 registers.
     */
    private void block8(float[] x, float[] y, int block, boolean first, boolean relu) {
        FloatVector zero = FloatVector.zero(S);
        for (int k = unitStart[block], last = unitStart[block + 1]; k < last; k++) {
            int o = rowA[k];
            FloatVector a0 = first ? zero : FloatVector.fromArray(S, y, o);
            FloatVector a1 = first ? zero : FloatVector.fromArray(S, y, o + 8);
            FloatVector a2 = first ? zero : FloatVector.fromArray(S, y, o + 16);
            FloatVector a3 = first ? zero : FloatVector.fromArray(S, y, o + 24);
            FloatVector a4 = first ? zero : FloatVector.fromArray(S, y, o + 32);
            FloatVector a5 = first ? zero : FloatVector.fromArray(S, y, o + 40);
            FloatVector a6 = first ? zero : FloatVector.fromArray(S, y, o + 48);
            FloatVector a7 = first ? zero : FloatVector.fromArray(S, y, o + 56);
            for (int p = single[2 * k], end = single[2 * k + 1]; p < end; p++) {
                FloatVector w = FloatVector.broadcast(S, vals[p]);
                int b = BASE + (offsets[p] << SHIFT8);
                a0 = FloatVector.fromArray(S, x, b).fma(w, a0);
                a1 = FloatVector.fromArray(S, x, b + 8).fma(w, a1);
                a2 = FloatVector.fromArray(S, x, b + 16).fma(w, a2);
                a3 = FloatVector.fromArray(S, x, b + 24).fma(w, a3);
                a4 = FloatVector.fromArray(S, x, b + 32).fma(w, a4);
                a5 = FloatVector.fromArray(S, x, b + 40).fma(w, a5);
                a6 = FloatVector.fromArray(S, x, b + 48).fma(w, a6);
                a7 = FloatVector.fromArray(S, x, b + 56).fma(w, a7);
            }
            store(a0, y, o, relu);
            store(a1, y, o + 8, relu);
            store(a2, y, o + 16, relu);
            store(a3, y, o + 24, relu);
            store(a4, y, o + 32, relu);
            store(a5, y, o + 40, relu);
            store(a6, y, o + 48, relu);
            store(a7, y, o + 56, relu);
        }
    }

    /**
     * Any SIMD width: one accumulator per vector of the tile; units are single rows. The array is the call's own, so
     * that a layer holds nothing a pass writes and threads can share it ({@link CsrNetwork#sibling}).
     */
    private void blockAnyWidth(float[] x, float[] y, int block, boolean first, boolean relu) {
        int lanes = S.length();
        int vectors = tile / lanes;
        FloatVector[] acc = new FloatVector[vectors];
        for (int k = unitStart[block], last = unitStart[block + 1]; k < last; k++) {
            int o = rowA[k];
            for (int v = 0; v < vectors; v++) {
                acc[v] = first ? FloatVector.zero(S) : FloatVector.fromArray(S, y, o + v * lanes);
            }
            for (int p = single[2 * k], end = single[2 * k + 1]; p < end; p++) {
                FloatVector w = FloatVector.broadcast(S, vals[p]);
                int b = BASE + offsets[p] * tile;
                for (int v = 0; v < vectors; v++) {
                    acc[v] = FloatVector.fromArray(S, x, b + v * lanes).fma(w, acc[v]);
                }
            }
            for (int v = 0; v < vectors; v++) {
                store(acc[v], y, o + v * lanes, relu);
            }
        }
    }

    /**
     * v into y from {@code at}, through ReLU if asked: the last step of the 8-lane layer kernels of this package. Only
     * for 8-lane vectors: compiled on its own, a helper that sees two vector shapes runs the Vector API's fallback.
     */
    static void store(FloatVector v, float[] y, int at, boolean relu) {
        (relu ? v.lanewise(VectorOperators.MAX, 0f) : v).intoArray(y, at);
    }
}

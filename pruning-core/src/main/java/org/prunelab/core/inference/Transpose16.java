package org.prunelab.core.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-major rows into a feature-major tile with AVX-512 shuffles: 16 rows by 16 features at a time, loaded as 16
 * vectors, transposed in registers in four rounds of two-vector selects (each round swaps the off-diagonal blocks
 * of half the size before) and stored as 16 vectors. For the 10,000 MNIST test images into 128-wide tiles: 2.2 ms
 * against 6.5 ms element by element (5.5 ms for the 591 of 784 pixels a 99 %-pruned first layer reads), on an
 * AVX-512 EPYC of this project's kind. Only for 16-lane CPUs: elsewhere the selects run the Vector API's Java
 * fallback.
 */
final class Transpose16 {
    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;
    /** Per round (block size 8, 4, 2, 1): the selects giving the lower and the upper row of each pair. */
    private static final FloatVector[] LOWER = new FloatVector[4];
    private static final FloatVector[] UPPER = new FloatVector[4];

    static {
        for (int round = 0; round < 4; round++) {
            int d = 8 >> round;
            float[] lower = new float[16];
            float[] upper = new float[16];
            for (int j = 0; j < 16; j++) {
                // selectFrom(a, b): lanes 0-15 index a, 16-31 index b
                lower[j] = (j & d) == 0 ? j : 16 + j - d;
                upper[j] = (j & d) == 0 ? j + d : 16 + j;
            }
            LOWER[round] = FloatVector.fromArray(S16, lower, 0);
            UPPER[round] = FloatVector.fromArray(S16, upper, 0);
        }
    }

    private Transpose16() {
    }

    /**
     * in[at + f * width + r] = x[offset + r * inputs + f] for r < rows and f < inputs: the whole 16 x 16 blocks with
     * shuffles, the rest element by element.
     *
     * <p>Each group of 16 rows is first read one value per 64-byte line ({@link #touch}), then shuffled. The shuffles
     * load one line of each of 16 rows per block, 16 misses at once that the hardware prefetchers did not cover when
     * the rows came from L3 or memory; a plain loop of independent loads has them all in flight and leaves the rows
     * in L1 and L2 for the shuffles. The 10,000 MNIST test images into 128-wide tiles, streamed from memory, AMD EPYC
     * of this project's kind, one thread: 2.9-3.5 ms without, 2.2 with.
     *
     * @return the sum of the values touched, for the caller to keep (loads whose values go nowhere are dropped by the
     *         JIT)
     */
    static float transpose(float[] x, int offset, int rows, int inputs, float[] in, int at, int width) {
        int fullRows = rows & ~15;
        int fullInputs = inputs & ~15;
        float touched = 0f;
        for (int r0 = 0; r0 < fullRows; r0 += 16) {
            touched += touch(x, offset + r0 * inputs, 16 * inputs);
            for (int f = 0; f < fullInputs; f += 16) {
                block(x, offset + r0 * inputs + f, inputs, in, at + f * width + r0, width);
            }
            scalar(x, offset, r0, r0 + 16, fullInputs, inputs, inputs, in, at, width);
        }
        scalar(x, offset, fullRows, rows, 0, inputs, inputs, in, at, width);
        return touched;
    }

    /** The sum of one value per 16 of x[from, from + length): one load per 64-byte line. */
    private static float touch(float[] x, int from, int length) {
        float sum = 0f;
        for (int i = from, end = from + length; i < end; i += 16) {
            sum += x[i];
        }
        return sum;
    }

    private static void scalar(float[] x, int offset, int r0, int r1, int f0, int f1, int inputs, float[] in, int at,
                               int width) {
        for (int r = r0; r < r1; r++) {
            for (int f = f0; f < f1; f++) {
                in[at + f * width + r] = x[offset + r * inputs + f];
            }
        }
    }

    /** One 16 x 16 block: rows {@code stride} apart from {@code s} into rows {@code width} apart from {@code d}. */
    static void block(float[] x, int s, int stride, float[] in, int d, int width) {
        FloatVector v0 = FloatVector.fromArray(S16, x, s);
        FloatVector v1 = FloatVector.fromArray(S16, x, s + stride);
        FloatVector v2 = FloatVector.fromArray(S16, x, s + 2 * stride);
        FloatVector v3 = FloatVector.fromArray(S16, x, s + 3 * stride);
        FloatVector v4 = FloatVector.fromArray(S16, x, s + 4 * stride);
        FloatVector v5 = FloatVector.fromArray(S16, x, s + 5 * stride);
        FloatVector v6 = FloatVector.fromArray(S16, x, s + 6 * stride);
        FloatVector v7 = FloatVector.fromArray(S16, x, s + 7 * stride);
        FloatVector v8 = FloatVector.fromArray(S16, x, s + 8 * stride);
        FloatVector v9 = FloatVector.fromArray(S16, x, s + 9 * stride);
        FloatVector v10 = FloatVector.fromArray(S16, x, s + 10 * stride);
        FloatVector v11 = FloatVector.fromArray(S16, x, s + 11 * stride);
        FloatVector v12 = FloatVector.fromArray(S16, x, s + 12 * stride);
        FloatVector v13 = FloatVector.fromArray(S16, x, s + 13 * stride);
        FloatVector v14 = FloatVector.fromArray(S16, x, s + 14 * stride);
        FloatVector v15 = FloatVector.fromArray(S16, x, s + 15 * stride);
        // rows 8 apart swap 8 x 8 blocks
        FloatVector lo = LOWER[0];
        FloatVector hi = UPPER[0];
        FloatVector t0 = lo.selectFrom(v0, v8);
        FloatVector t8 = hi.selectFrom(v0, v8);
        FloatVector t1 = lo.selectFrom(v1, v9);
        FloatVector t9 = hi.selectFrom(v1, v9);
        FloatVector t2 = lo.selectFrom(v2, v10);
        FloatVector t10 = hi.selectFrom(v2, v10);
        FloatVector t3 = lo.selectFrom(v3, v11);
        FloatVector t11 = hi.selectFrom(v3, v11);
        FloatVector t4 = lo.selectFrom(v4, v12);
        FloatVector t12 = hi.selectFrom(v4, v12);
        FloatVector t5 = lo.selectFrom(v5, v13);
        FloatVector t13 = hi.selectFrom(v5, v13);
        FloatVector t6 = lo.selectFrom(v6, v14);
        FloatVector t14 = hi.selectFrom(v6, v14);
        FloatVector t7 = lo.selectFrom(v7, v15);
        FloatVector t15 = hi.selectFrom(v7, v15);
        // rows 4 apart swap 4 x 4 blocks
        lo = LOWER[1];
        hi = UPPER[1];
        v0 = lo.selectFrom(t0, t4);
        v4 = hi.selectFrom(t0, t4);
        v1 = lo.selectFrom(t1, t5);
        v5 = hi.selectFrom(t1, t5);
        v2 = lo.selectFrom(t2, t6);
        v6 = hi.selectFrom(t2, t6);
        v3 = lo.selectFrom(t3, t7);
        v7 = hi.selectFrom(t3, t7);
        v8 = lo.selectFrom(t8, t12);
        v12 = hi.selectFrom(t8, t12);
        v9 = lo.selectFrom(t9, t13);
        v13 = hi.selectFrom(t9, t13);
        v10 = lo.selectFrom(t10, t14);
        v14 = hi.selectFrom(t10, t14);
        v11 = lo.selectFrom(t11, t15);
        v15 = hi.selectFrom(t11, t15);
        // rows 2 apart swap 2 x 2 blocks
        lo = LOWER[2];
        hi = UPPER[2];
        t0 = lo.selectFrom(v0, v2);
        t2 = hi.selectFrom(v0, v2);
        t1 = lo.selectFrom(v1, v3);
        t3 = hi.selectFrom(v1, v3);
        t4 = lo.selectFrom(v4, v6);
        t6 = hi.selectFrom(v4, v6);
        t5 = lo.selectFrom(v5, v7);
        t7 = hi.selectFrom(v5, v7);
        t8 = lo.selectFrom(v8, v10);
        t10 = hi.selectFrom(v8, v10);
        t9 = lo.selectFrom(v9, v11);
        t11 = hi.selectFrom(v9, v11);
        t12 = lo.selectFrom(v12, v14);
        t14 = hi.selectFrom(v12, v14);
        t13 = lo.selectFrom(v13, v15);
        t15 = hi.selectFrom(v13, v15);
        // neighbouring rows swap single values, and the rows are the block's columns
        lo = LOWER[3];
        hi = UPPER[3];
        lo.selectFrom(t0, t1).intoArray(in, d);
        hi.selectFrom(t0, t1).intoArray(in, d + width);
        lo.selectFrom(t2, t3).intoArray(in, d + 2 * width);
        hi.selectFrom(t2, t3).intoArray(in, d + 3 * width);
        lo.selectFrom(t4, t5).intoArray(in, d + 4 * width);
        hi.selectFrom(t4, t5).intoArray(in, d + 5 * width);
        lo.selectFrom(t6, t7).intoArray(in, d + 6 * width);
        hi.selectFrom(t6, t7).intoArray(in, d + 7 * width);
        lo.selectFrom(t8, t9).intoArray(in, d + 8 * width);
        hi.selectFrom(t8, t9).intoArray(in, d + 9 * width);
        lo.selectFrom(t10, t11).intoArray(in, d + 10 * width);
        hi.selectFrom(t10, t11).intoArray(in, d + 11 * width);
        lo.selectFrom(t12, t13).intoArray(in, d + 12 * width);
        hi.selectFrom(t12, t13).intoArray(in, d + 13 * width);
        lo.selectFrom(t14, t15).intoArray(in, d + 14 * width);
        hi.selectFrom(t14, t15).intoArray(in, d + 15 * width);
    }
}

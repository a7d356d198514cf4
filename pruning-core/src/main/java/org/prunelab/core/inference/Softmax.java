package org.prunelab.core.inference;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row-wise softmax with the Vector API ({@link InferenceForm#softmax}): the exponentials are SIMD. With a Math.exp
 * per value, the 10,000 MNIST test images' softmax took 0.7-0.8 ms on an AVX-512 EPYC of this project's kind: about
 * 6 % of the 99 % CSR pass and 18 % of the 97 % compacted one.
 */
final class Softmax {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Softmax() {
    }

    /**
     * Where the outputs of a vector of rows lie in a class-major tile {@code width} wide: output k (row k / classes,
     * class k % classes) at {@code indices[k]} from the rows' column.
     */
    private record GatherMap(int width, int classes, int[] indices) {
    }

    /** The last map made: a pass asks for the same one tile after tile. */
    private static volatile GatherMap lastMap;

    private static GatherMap gatherMap(int width, int classes) {
        GatherMap m = lastMap;
        if (m == null || m.width != width || m.classes != classes) {
            int[] indices = new int[S.length() * classes];
            for (int k = 0; k < indices.length; k++) {
                indices[k] = k % classes * width + k / classes;
            }
            m = new GatherMap(width, classes, indices);
            lastMap = m;
        }
        return m;
    }

    /** ln 2 in two parts (Cody and Waite): n ln 2 with n up to 126 is exact in the first, the rest in the second. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Adding and subtracting 1.5 x 2^23 rounds a float below 2^22 in magnitude to an integer. */
    private static final float ROUND = 12582912f;
    /** Below ln(2^-126) e^x is no normal float: such logits (~1e-38 of the row's largest) are raised to it. */
    private static final float LOWEST = -87.33654f;

    /**
     * e^x for x <= 0 (the max-shifted logits), as Cephes's expf computes it (relative error below 2e-7): x = n ln 2 + r
     * with |r| <= ln 2 / 2, e^r by a polynomial, 2^n into the exponent bits. Plain vector arithmetic rather than the
     * Vector API's EXP: that one runs the JIT's vector math library once compiled but Math.exp before, so the same
     * logits gave outputs one ulp apart depending on how warm the JIT was; these operations round the same either way.
     */
    private static FloatVector exp(FloatVector x) {
        x = x.max(LOWEST);
        FloatVector n = x.mul((float) (1 / Math.log(2))).add(ROUND).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(S, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(S, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(S, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(S, 5.0000001201e-1f));
        p = p.fma(r.mul(r), r).add(1f);
        FloatVector twoToN = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return p.mul(twoToN);
    }

    /**
     * Softmax of each column of a class-major tile, y[at + c * width + r] the logit of class c for row r (as the CSR
     * form's last layer leaves them), written row-major [rows, classes] into {@code out} from {@code outOffset}; the
     * tile is overwritten. A vector holds one class of several rows, so the max, the exponentials, the sum and the
     * scaling are all SIMD, in the same order as {@link #rows} does them per row, with the same results bit for bit;
     * a whole vector of rows is written out by gathers (classes vectors of outputs; value by value the 10,000 MNIST
     * test images' softmax took 0.17 ms, this way 0.14, on an AVX-512 EPYC of this project's kind), the last rows of
     * a set value by value. The tile's columns up to the next whole vector past {@code rows} are
     * computed too and not written out: {@code width} must be a whole number of vectors.
     */
    static void columns(float[] y, int at, int width, int rows, int classes, float[] out, int outOffset) {
        int lanes = S.length();
        GatherMap map = gatherMap(width, classes);
        for (int r0 = 0; r0 < rows; r0 += lanes) {
            int col = at + r0;
            FloatVector max = FloatVector.fromArray(S, y, col);
            for (int c = 1; c < classes; c++) {
                max = max.max(FloatVector.fromArray(S, y, col + c * width));
            }
            FloatVector sum = FloatVector.zero(S);
            for (int c = 0; c < classes; c++) {
                FloatVector e = exp(FloatVector.fromArray(S, y, col + c * width).sub(max));
                e.intoArray(y, col + c * width);
                sum = sum.add(e);
            }
            FloatVector scale = FloatVector.broadcast(S, 1f).div(sum);
            for (int c = 0; c < classes; c++) {
                FloatVector.fromArray(S, y, col + c * width).mul(scale).intoArray(y, col + c * width);
            }
            if (rows - r0 >= lanes) {
                // a whole vector of rows: their classes * lanes outputs lie together in out, a gather per vector
                int[] from = map.indices;
                for (int q = 0, o = outOffset + r0 * classes; q < classes; q++) {
                    FloatVector.fromArray(S, y, col, from, q * lanes).intoArray(out, o + q * lanes);
                }
                continue;
            }
            for (int r = 0, m = rows - r0; r < m; r++) {
                for (int c = 0, o = outOffset + (r0 + r) * classes; c < classes; c++) {
                    out[o + c] = y[col + c * width + r];
                }
            }
        }
    }

    /**
     * Softmax of each row of z [rows, classes] from {@code offset}, in place: each row shifted by its max (for
     * stability), then the exponentials over the whole block at once (SIMD across rows: MNIST's 10 classes fill no
     * vector; one masked vector per row took 0.44 ms, this 0.40, a Math.exp per value 0.70), then each row scaled by
     * the inverse of its sum.
     */
    static void rows(float[] z, int offset, int rows, int classes) {
        for (int r = 0, at = offset; r < rows; r++, at += classes) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                float v = z[at + c];
                max = v > max ? v : max; // a NaN logit is skipped here, but makes its row NaN below, as it should
            }
            for (int c = 0; c < classes; c++) {
                z[at + c] -= max;
            }
        }
        int n = rows * classes;
        int i = offset;
        for (int bound = offset + S.loopBound(n); i < bound; i += S.length()) {
            exp(FloatVector.fromArray(S, z, i)).intoArray(z, i);
        }
        if (i < offset + n) {
            VectorMask<Float> tail = S.indexInRange(i, offset + n);
            exp(FloatVector.fromArray(S, z, i, tail)).intoArray(z, i, tail);
        }
        for (int r = 0, at = offset; r < rows; r++, at += classes) {
            float sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += z[at + c];
            }
            float scale = 1 / sum;
            for (int c = 0; c < classes; c++) {
                z[at + c] *= scale;
            }
        }
    }
}

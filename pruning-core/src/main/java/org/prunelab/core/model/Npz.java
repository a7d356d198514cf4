package org.prunelab.core.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy's {@code .npz} container restricted to what models need: 2-D little-endian float32 arrays
 * ({@code name.npy} members in NPY format 1.0) plus opaque byte members such as a JSON manifest.
 * {@code numpy.load} opens what this writes; this reads what {@code numpy.savez[_compressed]} writes
 * for such arrays. Nothing is ever deserialized as Java objects or pickles.
 */
public final class Npz {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    /** A fixed entry time keeps the bytes, and so the content address, a function of the content alone. */
    private static final long FIXED_TIME = 315532800000L + 86_400_000L; // 1980-01-02, the zip epoch

    /** A 2-D float32 array, row-major. */
    public record Array(int rows, int cols, float[] data) {
    }

    /**
     * Any array as NumPy stores it: its dtype ({@code descr}), shape (empty for a scalar) and little-endian bytes;
     * for files other programs read (SciPy's sparse matrices want int32 indices and a byte-string format).
     */
    public record Raw(String descr, int[] shape, byte[] data) {
        public static Raw of(Array a) {
            return floats(a.data(), a.rows(), a.cols());
        }

        public static Raw floats(float[] v, int... shape) {
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            return new Raw("<f4", shape.length == 0 ? new int[]{v.length} : shape, b.array());
        }

        public static Raw ints(int[] v) {
            ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(v);
            return new Raw("<i4", new int[]{v.length}, b.array());
        }

        public static Raw longs(long... v) {
            ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(v);
            return new Raw("<i8", new int[]{v.length}, b.array());
        }

        /** A scalar byte string, as NumPy saves {@code b'csr'}. */
        public static Raw ascii(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
            return new Raw("|S" + bytes.length, new int[0], bytes);
        }
    }

    private Npz() {
    }

    /** Writes the arrays (in iteration order) and byte members into one deflated zip. */
    public static byte[] write(Map<String, Array> arrays, Map<String, byte[]> members) {
        Map<String, Raw> raw = new LinkedHashMap<>();
        arrays.forEach((name, a) -> raw.put(name, Raw.of(a)));
        return writeRaw(raw, members);
    }

    /** Writes arrays of any dtype (in iteration order) and byte members into one deflated zip. */
    public static byte[] writeRaw(Map<String, Raw> arrays, Map<String, byte[]> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(1); // pruned layers are mostly zeros: fast deflate already shrinks them a lot
            for (Map.Entry<String, Raw> e : arrays.entrySet()) {
                put(zip, e.getKey() + ".npy", npy(e.getValue()));
            }
            for (Map.Entry<String, byte[]> e : members.entrySet()) {
                put(zip, e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(FIXED_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    static byte[] npy(Raw a) {
        String dims = java.util.Arrays.stream(a.shape()).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", "));
        String shape = a.shape().length == 1 ? dims + "," : dims;
        String header = "{'descr': '" + a.descr() + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String padded = header + " ".repeat(padding) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + padded.length() + a.data().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length());
        buf.put(padded.getBytes(StandardCharsets.US_ASCII));
        buf.put(a.data());
        return buf.array();
    }

    /** The contents of an npz: arrays by name (without ".npy") and the other members as bytes. */
    public record Contents(Map<String, Array> arrays, Map<String, byte[]> members) {
    }

    public static Contents read(byte[] npz) {
        Map<String, Array> arrays = new LinkedHashMap<>();
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(npz))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                byte[] bytes = zip.readAllBytes();
                String name = entry.getName();
                if (name.endsWith(".npy")) {
                    arrays.put(name.substring(0, name.length() - 4), parseNpy(name, bytes));
                } else {
                    members.put(name, bytes);
                }
            }
        } catch (IOException e) {
            throw new ModelFormatException("not a readable npz archive: " + e.getMessage());
        }
        if (arrays.isEmpty() && members.isEmpty()) {
            throw new ModelFormatException("not an npz archive: no members");
        }
        return new Contents(arrays, members);
    }

    static Array parseNpy(String name, byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (buf.remaining() == 0 || buf.get() != m) {
                throw new ModelFormatException(name + ": not an NPY array (bad magic)");
            }
        }
        if (buf.remaining() < 4) {
            throw new ModelFormatException(name + ": truncated NPY header");
        }
        int major = buf.get();
        buf.get(); // minor version carries no meaning for us
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        if (headerLen < 0 || headerLen > buf.remaining()) {
            throw new ModelFormatException(name + ": truncated NPY header");
        }
        byte[] h = new byte[headerLen];
        buf.get(h);
        String header = new String(h, StandardCharsets.US_ASCII);
        String descr = group(DESCR, header, name, "descr");
        if (!descr.equals("<f4")) {
            throw new ModelFormatException(name + ": dtype " + descr + " is not little-endian float32 (<f4)");
        }
        if (group(FORTRAN, header, name, "fortran_order").equals("True")) {
            throw new ModelFormatException(name + ": Fortran-ordered arrays are not supported");
        }
        String[] dims = group(SHAPE, header, name, "shape").split(",");
        int[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Npz::dimension).toArray();
        if (shape.length != 2) {
            throw new ModelFormatException(name + ": expected a 2-D array, got shape " + java.util.Arrays.toString(shape));
        }
        long count = (long) shape[0] * shape[1];
        if (buf.remaining() != count * 4) {
            throw new ModelFormatException(name + ": shape needs " + count * 4 + " data bytes, found " + buf.remaining());
        }
        float[] data = new float[(int) count];
        buf.asFloatBuffer().get(data);
        return new Array(shape[0], shape[1], data);
    }

    private static int dimension(String s) {
        try {
            int d = Integer.parseInt(s);
            if (d <= 0) {
                throw new ModelFormatException("array dimension " + d + " is not positive");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ModelFormatException("array dimension '" + s + "' is not an integer");
        }
    }

    private static String group(Pattern p, String header, String name, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new ModelFormatException(name + ": NPY header has no valid '" + key + "'");
        }
        return m.group(1);
    }
}

package studio.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module the app writes itself, from TorchScript source, and that libtorch compiles
 * when it loads it: the way to reach a libtorch operator DJL's Java API does not expose (e.g.
 * {@code grid_sampler}, which must run on the tensor's own device) without Python or a file on
 * disk. The archive is what {@code torch.jit.save} writes for a module with no parameters: a zip
 * of {@code data.pkl} (the module object), {@code code/__torch__.py} (its methods),
 * {@code constants.pkl} and {@code version}.
 */
public final class TorchScript implements AutoCloseable {
    private final NDManager manager;
    private final PtSymbolBlock block;

    private TorchScript(NDManager manager, PtSymbolBlock block) {
        this.manager = manager;
        this.block = block;
    }

    /**
     * Compiles {@code methods} (TorchScript source of {@code def name(self: __torch__.NAME, ...)}
     * blocks, {@code def} at the line start) as the class {@code className}; the module lives
     * until {@link #close}.
     */
    public static TorchScript compile(String className, String methods) {
        TorchEngine.engine();
        byte[] archive = archive(className, methods);
        NDManager m = TorchEngine.engine().newBaseManager();
        try {
            PtSymbolBlock block = JniUtils.loadModule((PtNDManager) m, new ByteArrayInputStream(archive), false, false);
            return new TorchScript(m, block);
        } catch (IOException e) {
            m.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /**
     * Runs {@code method} on tensors and scalars (NDArray, Boolean, Long/Integer, Double, long[] as List[int]) and
     * returns its tensor result, owned by {@code owner}.
     */
    public NDArray call(NDManager owner, String method, Object... args) {
        IValue[] in = new IValue[args.length];
        try {
            for (int i = 0; i < args.length; i++) in[i] = value(args[i]);
            IValue out = IValueUtils.runMethod(block, method, in);
            try {
                return out.toTensor((PtNDManager) owner);
            } finally {
                out.close();
            }
        } finally {
            for (IValue v : in) if (v != null) v.close();
        }
    }

    private static IValue value(Object a) {
        return switch (a) {
            case NDArray t -> IValue.from((PtNDArray) t);
            case Boolean b -> IValue.from(b);
            case Integer i -> IValue.from((long) i);
            case Long l -> IValue.from(l);
            case Double d -> IValue.from(d);
            case long[] l -> IValue.listFrom(l);
            default -> throw new IllegalArgumentException("no TorchScript value for " + a.getClass());
        };
    }

    @Override
    public void close() {
        block.close();
        manager.close();
    }

    /** The zip {@code torch.jit.save} would write for a parameter-free module with these methods. */
    static byte[] archive(String className, String methods) {
        if (!className.matches("[A-Za-z_][A-Za-z0-9_]*"))
            throw new IllegalArgumentException("not a class name: " + className);
        String code = "class " + className + "(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + methods.lines().map(l -> "  " + l + "\n").collect(Collectors.joining());
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        // protocol 2: GLOBAL __torch__.NAME, EMPTY_TUPLE, NEWOBJ, {training: False} BUILD, STOP
        pkl.writeBytes(new byte[] {(byte) 0x80, 2, 'c'});
        pkl.writeBytes(("__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        pkl.writeBytes(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0});
        pkl.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        pkl.writeBytes(new byte[] {(byte) 0x89, 'u', 'b', '.'});
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            stored(z, "archive/data.pkl", pkl.toByteArray());
            stored(z, "archive/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            stored(z, "archive/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            stored(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return zip.toByteArray();
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }
}

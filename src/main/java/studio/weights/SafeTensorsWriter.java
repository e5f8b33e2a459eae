package studio.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import studio.job.DiskSpace;
import studio.job.OutputFile;
import studio.job.StudioException;

/**
 * Writes float32 tensors as a {@code .safetensors} file (readable by {@link SafeTensors} and by
 * Python's safetensors/numpy). Written by hand: the format is a JSON header plus raw data, and no
 * Java library for it is on Maven Central. The file appears atomically (temp file, then move).
 */
public final class SafeTensorsWriter {
    private final Map<String, float[]> data = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafeTensorsWriter put(String name, float[] values, long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        if (n != values.length)
            throw new IllegalArgumentException(
                    name + ": " + values.length + " values for shape " + Arrays.toString(shape));
        data.put(name, values);
        shapes.put(name, shape);
        return this;
    }

    public SafeTensorsWriter meta(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public void write(Path file) {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject m = new JsonObject();
            metadata.forEach(m::addProperty);
            header.add("__metadata__", m);
        }
        long offset = 0;
        for (var e : data.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : shapes.get(e.getKey())) shape.add(d);
            t.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(offset);
            offset += 4L * e.getValue().length;
            off.add(offset);
            t.add("data_offsets", off);
            header.add(e.getKey(), t);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8; // keeps the data 8-byte aligned, as the reference writer does
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new StudioException(file + ": cannot create its folder (" + DiskSpace.explain(e) + ")", e);
        }
        try (OutputFile out = OutputFile.create(file, List.of())) {
            try (OutputStream os = Files.newOutputStream(out.temp())) {
                ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(padded).put(json);
                while (head.hasRemaining()) head.put((byte) ' ');
                os.write(head.array());
                for (float[] v : data.values()) {
                    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(v);
                    os.write(b.array());
                }
            } catch (IOException e) {
                throw new StudioException(file + ": cannot write (" + DiskSpace.explain(e) + ")", e);
            }
            out.commit();
        }
    }
}

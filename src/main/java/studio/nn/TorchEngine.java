package studio.nn;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The one place that sets up DJL's PyTorch engine: offline (libtorch comes from the Maven jars,
 * never downloaded), loaded before any JNI call, and libtorch's intra-op threads set to what the
 * JVM may use. Every stage that runs networks goes through here instead of calling
 * {@link Engine} or {@link JniUtils} set-up functions itself.
 */
public final class TorchEngine {
    private static final String NAME = "PyTorch";

    private TorchEngine() {}

    /** Never let DJL download a native library; call before the first DJL class loads (entry points). */
    public static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    /** The PyTorch engine, loaded (its native library is up once this returns). */
    public static Engine engine() {
        return Engine.getEngine(NAME);
    }

    /**
     * Loads the engine and sets libtorch's intra-op threads to the processors the JVM may use:
     * libtorch defaults to the physical core count, which containers often misreport.
     */
    public static void useAllCores() {
        engine();
        int cores = Runtime.getRuntime().availableProcessors();
        if (JniUtils.getNumThreads() != cores) JniUtils.setNumThreads(cores);
    }

    /** libtorch's intra-op thread count (loads the engine). */
    public static int threads() {
        engine();
        return JniUtils.getNumThreads();
    }

    /** Seeds libtorch's global CPU generator (loads the engine). */
    public static void seed(long seed) {
        engine();
        JniUtils.setSeed(seed);
    }

    /** "PyTorch 2.x.y": the engine's name and version, for benchmark headers. */
    public static String describe() {
        Engine e = engine();
        return e.getEngineName() + " " + e.getVersion();
    }
}

/**
 * Checkpoint readers: safetensors, PyTorch zip and legacy pickles (a bounded, code-free unpickler), the model catalog, its downloader, and procedural weights for tests and benchmarks. Every file is treated as hostile: bounded time and memory, one-line errors naming the file.
 *
 * <p>May use: {@code studio.job}, Gson, the JDK.
 */
package studio.weights;

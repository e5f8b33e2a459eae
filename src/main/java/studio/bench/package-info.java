/**
 * The benchmarks behind the README's tables ({@code studio bench NAME}); their defaults come from the install folder.
 *
 * <p>May use: the pipeline and every stage; never {@code app} or {@code cli}.
 */
package studio.bench;

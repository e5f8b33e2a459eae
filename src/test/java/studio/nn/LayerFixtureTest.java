package studio.nn;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** What every {@code *LayerTest} shares: the PyTorch-written fixture, opened once per test class. */
abstract class LayerFixtureTest {
    static LayerFixture fx;

    @BeforeAll
    static void openFixture() {
        fx = new LayerFixture();
    }

    @AfterAll
    static void closeFixture() {
        fx.close();
    }
}

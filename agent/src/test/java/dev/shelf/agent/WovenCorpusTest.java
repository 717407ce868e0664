package dev.shelf.agent;

import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.weave.WovenClasses;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The equivalence corpus of {@link ReinitCorpusTest}, every case and assertion of it, on the corpus woven at build
 * time ({@code agent.weave.Weaver}) and loaded without any transformer, as a woven application runs without the agent.
 */
class WovenCorpusTest extends ReinitCorpusTest {

    @BeforeAll
    static void weave() throws Exception {
        ShelfConfig config = new ShelfConfig(true, List.of(CORPUS), List.of(), 64, false);
        WovenClasses.Woven woven = WovenClasses.weave(CORPUS, config);
        assertThat(woven.result().failed()).as("classes the weaver failed on").isEmpty();
        assertThat(woven.result().pooled()).isPositive();
        loader = new ShelfTestLoader(CORPUS, woven.classes());
    }
}

package io.millwright.erp;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.millwright.model.ProductionConfirmation;
import io.millwright.testsupport.TestDatabase;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An edge hub upgraded from posting its own counts: what its outbox still holds is named at start, with how to post it;
 * a hub that relays, or has nothing pending, says nothing.
 */
class UnrelayedOutboxTest {

    private TestDatabase database;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(UnrelayedOutbox.class);

    @BeforeEach
    void open() {
        database = TestDatabase.h2();
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void close() {
        logger.detachAppender(logged);
        database.close();
    }

    private static ErpProperties settings(String confirmedBy) {
        return ErpPropertiesTest.bind(Map.of("millwright.erp.base-url", "http://127.0.0.1:1/sap",
                "millwright.erp.confirmed-by", confirmedBy));
    }

    private void queue(String key) {
        new ConfirmationOutbox(database.jdbc()).enqueue(new ProductionConfirmation("4711", "0010", new BigDecimal("5"),
                BigDecimal.ZERO, "PC", false, LocalDate.of(2026, 12, 1), key));
    }

    @Test
    void anEdgeWithPendingDocuments_saysHowManyAndHowToPostThem() {
        queue("k-1");
        queue("k-2");

        assertThat(new UnrelayedOutbox(settings("central"), new ConfirmationOutbox(database.jdbc())).check()).isEqualTo(2);
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains("count=2").contains("confirmedBy=central")
                    .contains("--millwright.erp.relay-enabled=true");
        });
    }

    @Test
    void aDatabaseThatDoesNotAnswer_isLogged_andDoesNotFailTheStart() {
        UnrelayedOutbox check = new UnrelayedOutbox(settings("central"), new ConfirmationOutbox(database.jdbc()));
        database.close();
        database = TestDatabase.h2(); // closed above; a fresh one for close() after the test

        check.onApplicationEvent(null);
        assertThat(logged.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).startsWith("Could not count the outbox's pending documents at start");
        });
    }

    @Test
    void aHubThatRelays_orHasNothingPending_saysNothing() {
        queue("k-1");
        assertThat(new UnrelayedOutbox(settings("this-hub"), new ConfirmationOutbox(database.jdbc())).check()).isZero();

        database.jdbc().getJdbcTemplate().update("UPDATE confirmation_outbox SET status = 'POSTED'");
        assertThat(new UnrelayedOutbox(settings("central"), new ConfirmationOutbox(database.jdbc())).check()).isZero();
        assertThat(logged.list).isEmpty();
    }
}

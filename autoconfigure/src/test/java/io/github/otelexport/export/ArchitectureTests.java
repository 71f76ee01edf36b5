package io.github.otelexport.export;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Architecture rules of the export core.
 *
 * @author otel-export authors
 */
class ArchitectureTests {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.otelexport.export");

	@Test
	void coreDoesNotDependOnSpring() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.because("the export core must work with a plain OpenTelemetry SDK")
			.check(CORE);
	}

	@Test
	void coreDoesNotDependOnActuateOrAutoConfigure() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.otelexport.actuate..", "io.github.otelexport.autoconfigure..")
			.check(CORE);
	}

	@Test
	void onlySdkFailuresUsesSdkInternals() {
		noClasses().that()
			.doNotHaveSimpleName("SdkFailures")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.opentelemetry.exporter.internal..", "io.opentelemetry.sdk.internal..",
					"io.opentelemetry.sdk.common.internal..")
			.because("SDK-internal types may move in any release")
			.check(CORE);
	}

	@Test
	void coreDoesNotCallWallClockOrSleepDirectly() {
		noClasses().should()
			.callMethod(Thread.class, "sleep", long.class)
			.orShould()
			.callMethod(System.class, "currentTimeMillis")
			.because("time is injected so that tests drive it")
			.check(CORE);
	}

	@Test
	void onlySystemTimeReadsTheRealTicker() {
		noClasses().that()
			.doNotHaveSimpleName("SystemTime")
			.should()
			.callMethod(System.class, "nanoTime")
			.orShould()
			.callMethod(java.time.Clock.class, "systemUTC")
			.orShould()
			.callMethod(java.time.Clock.class, "systemDefaultZone")
			.because("real time and randomness are wired in one place and injected everywhere else")
			.check(CORE);
	}

}

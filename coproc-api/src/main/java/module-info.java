/**
 * The API of coproc: what a host program and a worker target program against.
 *
 * <p>{@code coproc.api} holds {@link coproc.api.Messenger}, the {@link coproc.api.Message}
 * record, {@link coproc.api.Prioritized}, the worker target interface
 * {@link coproc.api.WorkerTarget} and the exceptions, all unchecked and rooted at
 * {@link coproc.api.CoprocException}. {@code coproc.api.spi} holds the service-provider
 * interfaces through which serializers and launchers are plugged in with
 * {@link java.util.ServiceLoader}.
 *
 * <p>This module depends on nothing but {@code java.base}.
 */
module coproc.api {
    exports coproc.api;
    exports coproc.api.spi;
}

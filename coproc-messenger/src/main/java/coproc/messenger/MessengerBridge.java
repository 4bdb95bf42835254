package coproc.messenger;

import coproc.api.Message;
import coproc.messenger.internal.MessengerAccess;
import coproc.messenger.internal.Pipe;

/** The bridge from coproc's internal callers to what {@link PipeMessenger} does not publish; see {@link MessengerAccess}. */
final class MessengerBridge implements MessengerAccess.Bridge {

    @Override
    public PipeMessenger create(MessengerKind kind, Pipe pipe) {
        return kind.create(pipe);
    }

    @Override
    public Pipe pipe(PipeMessenger messenger) {
        return messenger.pipe();
    }

    @Override
    public boolean drainIfIdle(PipeMessenger messenger) {
        return messenger.drainIfIdle();
    }

    @Override
    public <T> Message<T> receiveInArrivalOrder(PipeMessenger messenger, Object channel) {
        return messenger.receiveInArrivalOrder(channel);
    }
}

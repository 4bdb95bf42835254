package coproc.messenger.internal;

/**
 * What a data message is to the counters on each side: plain, a request or a reply, and the
 * flag bit that says so on the wire.
 */
public enum MessageKind {

    /** A plain message ({@code sendNoRequest}). */
    PLAIN(0),
    /** A request ({@code sendRequest}): counts a request sent. */
    REQUEST(Wire.REQUEST),
    /** A reply ({@code sendReply}): counts a reply received when popped. */
    REPLY(Wire.REPLY);

    private final int flag;

    MessageKind(int flag) {
        this.flag = flag;
    }

    /** Returns this kind's bit in a data frame's flags. */
    int flag() {
        return flag;
    }
}

import NIOCore

/// Closes a connection whose client closed its sending side.
///
/// Hummingbird lets a client half-close (`allowRemoteHalfClosure`) and keeps the connection until
/// the answer is written; for a `?wait=` of up to 300 s that kept the socket and the waiting task
/// of a client long gone. A client of this API never half-closes while it still wants an answer,
/// so the end of its input means it left: close, and the wait (``ActionsController``) ends with it.
final class HalfCloseHandler: ChannelInboundHandler, RemovableChannelHandler {
    // Parts pass through untouched (never unwrapped), whatever their type.
    typealias InboundIn = Any
    typealias InboundOut = Any

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

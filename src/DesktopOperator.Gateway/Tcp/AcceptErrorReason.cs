using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>Why an accept on a gateway port failed: the <c>reason</c> label of <c>gateway_accept_errors_total</c>.</summary>
internal enum AcceptErrorReason
{
    /// <summary>EMFILE or ENFILE: the process (or the system) is out of file descriptors.</summary>
    TooManyOpenFiles,

    /// <summary>ENOBUFS or ENOMEM: the kernel is out of socket memory.</summary>
    NoBufferSpace,

    /// <summary>Any other socket error (the accept is retried all the same).</summary>
    Other,
}

/// <summary>Maps accept failures to <see cref="AcceptErrorReason"/> and its label.</summary>
internal static class AcceptErrors
{
    // .NET maps errno to SocketError: EMFILE and ENFILE both become TooManyOpenSockets, ENOBUFS and ENOMEM both
    // become NoBufferSpaceAvailable, so the two pairs cannot be told apart from managed code.
    public static AcceptErrorReason Classify(SocketException exception) => exception.SocketErrorCode switch
    {
        SocketError.TooManyOpenSockets => AcceptErrorReason.TooManyOpenFiles,
        SocketError.NoBufferSpaceAvailable => AcceptErrorReason.NoBufferSpace,
        _ => AcceptErrorReason.Other,
    };

    public static string Label(AcceptErrorReason reason) => reason switch
    {
        AcceptErrorReason.TooManyOpenFiles => "too_many_open_files",
        AcceptErrorReason.NoBufferSpace => "no_buffer_space",
        _ => "other",
    };

    /// <summary>Backoff before retry number <paramref name="failures"/> (1-based) of a burst: 10 ms doubling to 100 ms.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(100, 10 << Math.Min(failures - 1, 4)));
}

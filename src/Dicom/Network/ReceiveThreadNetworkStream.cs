using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// The network stream of an accepted association. Reads made on the association's <see cref="Network.ReceiveThread"/>
/// wait in the kernel on that thread (non-blocking <c>recv(2)</c>, then <c>poll(2)</c> until the socket is readable);
/// reads from any other thread, and all writes, are those of <see cref="NetworkStream"/>. Cancelling a blocking
/// read shuts the socket's receive side, which wakes the <c>poll</c>: a cancelled read (a timeout, a stop) leaves the
/// connection unusable for reading, as with any cancelled socket read. Linux only; elsewhere every read is
/// <see cref="NetworkStream"/>'s.
/// </summary>
public sealed partial class ReceiveThreadNetworkStream : NetworkStream
{
    private const int MSG_DONTWAIT = 0x40;
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const short POLLIN = 1;
    private const int SHUT_RD = 0;
    private const int SHUT_RDWR = 2;

    /// <summary>Wraps a connected socket, which the stream owns.</summary>
    public ReceiveThreadNetworkStream(Socket socket) : base(socket, ownsSocket: true) { }

    /// <summary>The thread whose reads block; null until the association's receive loop has one.</summary>
    public ReceiveThread? ReceiveThread { get; set; }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux() || ReceiveThread is not { IsCurrent: true }) return base.ReadAsync(buffer, cancellationToken);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        try
        {
            return new ValueTask<int>(ReadOnThisThread(buffer.Span, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    private unsafe int ReadOnThisThread(Span<byte> buffer, CancellationToken cancellationToken)
    {
        var handle = Socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            using var wake = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static state => Shutdown((int)state!, SHUT_RD), fd)
                : default;
            fixed (byte* at = buffer)
            {
                while (true)
                {
                    nint n = Recv(fd, at, buffer.Length, MSG_DONTWAIT);
                    if (n >= 0)
                    {
                        // A shut receive side reads as the end of the stream: tell a cancellation from the peer's close.
                        if (n == 0) cancellationToken.ThrowIfCancellationRequested();
                        return (int)n;
                    }
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR) continue;
                    if (errno != EAGAIN) throw new IOException($"recv failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", new SocketException(errno));
                    // Nothing to read yet: the thread's deferred work runs now, while the peer is busy sending.
                    if (ReceiveThread!.RunIdleWork()) continue;
                    var poll = new PollFd { Fd = fd, Events = POLLIN };
                    if (Poll(&poll, 1, -1) < 0 && Marshal.GetLastPInvokeError() != EINTR)
                        throw new IOException($"poll failed (errno {Marshal.GetLastPInvokeError()}).");
                }
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // A receive thread may be waiting in poll with a reference on the handle, which defers the close: shut the
        // socket first so that the wait ends now (the peer may never close its side).
        if (disposing && OperatingSystem.IsLinux())
        {
            var handle = Socket.SafeHandle;
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                Shutdown((int)handle.DangerousGetHandle(), SHUT_RDWR);
            }
            catch (ObjectDisposedException) { }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }
        base.Dispose(disposing);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static unsafe partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int Shutdown(int fd, int how);
}

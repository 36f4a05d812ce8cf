using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace B2BPortal.Simulator.Tenant;

/// <summary>
/// A minimal SMTP server on loopback (RFC 5321: EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT) for the portal's
/// SMTP transport: each message lands in the tenant's mailbox like a sendMail message (kind <c>mail</c>), one entry per
/// recipient, so tests read what a guest would receive whichever transport sent it. No TLS and no authentication: it
/// listens on 127.0.0.1 only, and a real relay is configured with both.
/// </summary>
public sealed class SmtpSink(SimulatedTenant tenant) : IAsyncDisposable
{
    private const int MaxMessageBytes = 10 * 1024 * 1024;

    private TcpListener? _listener;
    private CancellationTokenSource? _stop;
    private Task? _accepting;

    /// <summary>The port it listens on once started; null before.</summary>
    public int? Port { get; private set; }

    public int Start()
    {
        if (Port is { } port)
        {
            return port;
        }

        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _stop = new CancellationTokenSource();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(_stop.Token);
        return Port.Value;
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client, ct), ct);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 simulated-tenant ESMTP ready");
                var transaction = new MailTransaction();
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    var verb = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();

                    // Every command gets one reply; only DATA says something before it (354, then the message is read).
                    var reply = verb switch
                    {
                        "EHLO" => $"250-simulated-tenant\r\n250-SIZE {MaxMessageBytes}\r\n250 8BITMIME",
                        "HELO" => "250 simulated-tenant",
                        "MAIL" => transaction.Mail(Address(line)),
                        "RCPT" => transaction.Recipient(Address(line)),
                        "DATA" => await DataAsync(transaction, reader, writer, ct),
                        "RSET" => transaction.Reset(),
                        "NOOP" => "250 OK",
                        "QUIT" => "221 Bye",
                        _ => "502 Command not implemented",
                    };
                    await writer.WriteLineAsync(reply);
                    if (verb == "QUIT")
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // The client went away or the sink stops: nothing to deliver.
            }
        }
    }

    /// <summary>DATA: refused before MAIL and RCPT; else the message is read, delivered unless too large, and the transaction ends.</summary>
    private async Task<string> DataAsync(MailTransaction transaction, StreamReader reader, StreamWriter writer, CancellationToken ct)
    {
        if (transaction.From is not { } from || transaction.Recipients.Count == 0)
        {
            return "503 MAIL and RCPT first";
        }

        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
        var data = await ReadDataAsync(reader, ct);
        if (data is not null)
        {
            Deliver(from, transaction.Recipients, data);
        }

        transaction.Reset();
        return data is null ? "552 Message too large" : "250 OK: queued";
    }

    /// <summary>The message until the lone dot, dot-stuffing undone; null past the size limit.</summary>
    private static async Task<string?> ReadDataAsync(StreamReader reader, CancellationToken ct)
    {
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line == ".")
            {
                return data.Length > MaxMessageBytes ? null : data.ToString();
            }

            data.Append(line.StartsWith("..", StringComparison.Ordinal) ? line[1..] : line).Append("\r\n");
        }

        return null;
    }

    private void Deliver(string from, List<string> recipients, string data)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(data));
        var message = MimeMessage.Load(content);
        tenant.DeliverSmtp(from, recipients, message.Subject ?? string.Empty, message.TextBody ?? string.Empty, message.HtmlBody);
    }

    /// <summary>The address in "MAIL FROM:&lt;a@b&gt; SIZE=…" or "RCPT TO:&lt;a@b&gt;".</summary>
    private static string? Address(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open ? line[(open + 1)..close].Trim() : null;
    }

    /// <summary>
    /// One mail transaction of a session (RFC 5321 3.3): MAIL names the sender and starts over, RCPT adds recipients; RSET
    /// and a finished DATA end it. Each method returns the command's reply.
    /// </summary>
    private sealed class MailTransaction
    {
        public string? From { get; private set; }

        public List<string> Recipients { get; } = [];

        public string Mail(string? from)
        {
            From = from;
            Recipients.Clear();
            return from is null ? "501 Syntax: MAIL FROM:<address>" : "250 OK";
        }

        public string Recipient(string? to)
        {
            if (From is null)
            {
                return "503 MAIL first";
            }

            if (to is not { Length: > 0 })
            {
                return "501 Syntax: RCPT TO:<address>";
            }

            Recipients.Add(to);
            return "250 OK";
        }

        public string Reset()
        {
            From = null;
            Recipients.Clear();
            return "250 OK";
        }
    }

    /// <summary>Stops listening (once; the container and the server may both ask).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stop, null) is not { } stop)
        {
            return;
        }

        await stop.CancelAsync();
        _listener?.Stop();
        if (_accepting is not null)
        {
            await _accepting;
        }

        stop.Dispose();
    }
}

using System.Buffers;
using System.Buffers.Binary;
using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Tests.Pdu;

public class PduCodecTests
{
    private static AssociateRequestPdu FullRequest() => new()
    {
        CalledAeTitle = "CONDUIT",
        CallingAeTitle = "SCANNER 1",
        PresentationContexts =
        [
            new(1, "1.2.840.10008.5.1.4.1.1.2", ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
            new(3, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"]),
            new(255, "1.2.840.10008.5.1.4.1.1.7", ["1.2.840.10008.1.2.4.50"]),
        ],
        UserInformation = new UserInformation
        {
            MaxPduLength = 116794,
            ImplementationClassUid = "1.2.3.4.5",
            ImplementationVersionName = "TEST_1",
            AsynchronousOperationsWindow = new(5, 3),
            RoleSelections = { new RoleSelection("1.2.840.10008.5.1.4.1.1.2", true, false) },
            UserIdentity = UserIdentityRequest.ForUsername("alice", "s3cret", positiveResponseRequested: true),
        },
    };

    private static ProtocolDataUnit ReadOne(byte[] bytes)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var reader = new PduReader(1 << 20);
        Assert.True(reader.TryRead(ref buffer, out var ev));
        Assert.True(buffer.IsEmpty);
        return ev.Control!;
    }

    [Fact]
    public void AssociateRequestRoundTripsEveryItem()
    {
        var original = FullRequest();
        var read = Assert.IsType<AssociateRequestPdu>(ReadOne(original.ToArray()));
        Assert.Equal("CONDUIT", read.CalledAeTitle);
        Assert.Equal("SCANNER 1", read.CallingAeTitle);
        Assert.Equal(1, read.ProtocolVersion);
        Assert.Equal("1.2.840.10008.3.1.1.1", read.ApplicationContext);
        Assert.Equal(3, read.PresentationContexts.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(original.PresentationContexts[i].Id, read.PresentationContexts[i].Id);
            Assert.Equal(original.PresentationContexts[i].AbstractSyntax, read.PresentationContexts[i].AbstractSyntax);
            Assert.Equal(original.PresentationContexts[i].TransferSyntaxes, read.PresentationContexts[i].TransferSyntaxes);
        }
        var info = read.UserInformation;
        Assert.Equal(116794u, info.MaxPduLength);
        Assert.Equal("1.2.3.4.5", info.ImplementationClassUid);
        Assert.Equal("TEST_1", info.ImplementationVersionName);
        Assert.Equal(new AsynchronousOperationsWindow(5, 3), info.AsynchronousOperationsWindow);
        Assert.Equal(new RoleSelection("1.2.840.10008.5.1.4.1.1.2", true, false), Assert.Single(info.RoleSelections));
        Assert.Equal(UserIdentityType.UsernameAndPasscode, info.UserIdentity!.Type);
        Assert.True(info.UserIdentity.PositiveResponseRequested);
        Assert.Equal("alice", info.UserIdentity.PrimaryText);
        Assert.Equal("s3cret", info.UserIdentity.SecondaryText);
    }

    [Fact]
    public void AssociateAcceptRoundTripsContextsAndUserIdentityResponse()
    {
        var original = new AssociateAcceptPdu
        {
            CalledAeTitle = "CONDUIT",
            CallingAeTitle = "SCU",
            PresentationContexts =
            [
                new(1, PresentationContextResult.Acceptance, "1.2.840.10008.1.2.1"),
                new(3, PresentationContextResult.AbstractSyntaxNotSupported, ""),
            ],
            UserInformation = new UserInformation
            {
                MaxPduLength = 16384,
                AsynchronousOperationsWindow = new(1, 1),
                RoleSelections = { new RoleSelection("1.2.3", true, false) },
                UserIdentityServerResponse = [1, 2, 3],
            },
        };
        var read = Assert.IsType<AssociateAcceptPdu>(ReadOne(original.ToArray()));
        Assert.Equal(original.PresentationContexts, read.PresentationContexts);
        Assert.Equal(16384u, read.UserInformation.MaxPduLength);
        Assert.Equal(DicomImplementation.ClassUid, read.UserInformation.ImplementationClassUid);
        Assert.Equal(DicomImplementation.VersionName, read.UserInformation.ImplementationVersionName);
        Assert.Equal(new AsynchronousOperationsWindow(1, 1), read.UserInformation.AsynchronousOperationsWindow);
        Assert.Equal(new RoleSelection("1.2.3", true, false), Assert.Single(read.UserInformation.RoleSelections));
        Assert.Equal([1, 2, 3], read.UserInformation.UserIdentityServerResponse);
    }

    [Fact]
    public void UsernameOnlyIdentityHasAnEmptySecondaryField()
    {
        var rq = FullRequest();
        rq.UserInformation.UserIdentity = UserIdentityRequest.ForUsername("bob");
        var read = Assert.IsType<AssociateRequestPdu>(ReadOne(rq.ToArray()));
        Assert.Equal(UserIdentityType.Username, read.UserInformation.UserIdentity!.Type);
        Assert.Equal("bob", read.UserInformation.UserIdentity.PrimaryText);
        Assert.Empty(read.UserInformation.UserIdentity.SecondaryField);
    }

    [Fact]
    public void FixedLengthPdusRoundTrip()
    {
        var rj = Assert.IsType<AssociateRejectPdu>(ReadOne(new AssociateRejectPdu(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReason.LocalLimitExceeded).ToArray()));
        Assert.Equal((RejectResult.Transient, RejectSource.ServiceProviderPresentation, (byte)2), (rj.Result, rj.Source, (byte)rj.Reason));
        Assert.IsType<ReleaseRequestPdu>(ReadOne(ReleaseRequestPdu.Instance.ToArray()));
        Assert.IsType<ReleaseResponsePdu>(ReadOne(ReleaseResponsePdu.Instance.ToArray()));
        var abort = Assert.IsType<AbortPdu>(ReadOne(new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu).ToArray()));
        Assert.Equal((AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), (abort.Source, abort.Reason));
    }

    [Fact]
    public void DataTransferPdvsStreamOutWithTheirFlags()
    {
        var command = new byte[] { 1, 2, 3, 4 };
        var data = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var pdu = new DataTransferPdu([new(1, true, true, command), new(1, false, false, data.AsMemory(0, 100)), new(1, false, true, data.AsMemory(100))]);
        var bytes = pdu.ToArray();
        // Fed one byte at a time, the PDV data must come out whole and in order with the right flags.
        var reader = new PduReader(1 << 20);
        var commandOut = new List<byte>();
        var dataOut = new List<byte>();
        var ends = new List<(bool Command, bool EndOfMessage)>();
        var pending = Array.Empty<byte>();
        foreach (var b in bytes)
        {
            pending = [.. pending, b];
            var buffer = new ReadOnlySequence<byte>(pending);
            while (reader.TryRead(ref buffer, out var ev))
            {
                (ev.IsCommand ? commandOut : dataOut).AddRange(ev.Data.ToArray());
                if (ev.EndOfPdv) ends.Add((ev.IsCommand, ev.EndOfMessage));
            }
            pending = buffer.ToArray();
        }
        Assert.Equal(command, commandOut);
        Assert.Equal(data, dataOut);
        Assert.Equal([(true, true), (false, false), (false, true)], ends);
        Assert.Equal(1, reader.CompletedPdus);
    }

    public static TheoryData<string> ControlPdus => new() { "rq", "ac", "rj", "release-rq", "release-rp", "abort" };

    private static byte[] Sample(string name) => name switch
    {
        "rq" => FullRequest().ToArray(),
        "ac" => new AssociateAcceptPdu { PresentationContexts = [new(1, PresentationContextResult.Acceptance, "1.2.840.10008.1.2")], UserInformation = new() { MaxPduLength = 1000 } }.ToArray(),
        "rj" => new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized).ToArray(),
        "release-rq" => ReleaseRequestPdu.Instance.ToArray(),
        "release-rp" => ReleaseResponsePdu.Instance.ToArray(),
        _ => new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified).ToArray(),
    };

    [Theory]
    [MemberData(nameof(ControlPdus))]
    public void EveryPrefixOfAControlPduReturnsFalseAndConsumesNothing(string name)
    {
        var bytes = Sample(name);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            var reader = new PduReader(1 << 20);
            Assert.False(reader.TryRead(ref buffer, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void APduSplitAcrossSegmentsReadsAsOne()
    {
        var bytes = FullRequest().ToArray();
        var first = new Segment(bytes.AsMemory(0, 50));
        var last = first.Append(bytes.AsMemory(50));
        var buffer = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        Assert.True(new PduReader(1 << 20).TryRead(ref buffer, out var ev));
        Assert.Equal("SCANNER 1", Assert.IsType<AssociateRequestPdu>(ev.Control).CallingAeTitle);
    }

    [Theory]
    [InlineData(PduType.DataTransfer, 0xFFFFFFFFu)]
    [InlineData(PduType.AssociateRequest, 0xFFFFFFFFu)]
    [InlineData(PduType.DataTransfer, 16385u)]
    public void DeclaredLengthOverTheLimitIsRefusedFromTheHeaderAlone(PduType type, uint length)
    {
        var header = new byte[6];
        header[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), length);
        var buffer = new ReadOnlySequence<byte>(header);
        var reader = new PduReader(maxDataPduLength: 16384, maxControlPduLength: 65536);
        var ex = Assert.Throws<PduException>(() => reader.TryRead(ref buffer, out _));
        Assert.Equal(AbortReason.InvalidPduParameterValue, ex.Reason);
    }

    [Fact]
    public void UnknownPduTypeIsUnrecognized()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0 });
        var ex = Assert.Throws<PduException>(() => new PduReader(1 << 20).TryRead(ref buffer, out _));
        Assert.Equal(AbortReason.UnrecognizedPdu, ex.Reason);
    }

    [Fact]
    public void PdvLongerThanItsPduIsInvalid()
    {
        var bytes = new DataTransferPdu([new(1, true, true, new byte[10])]).ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(6), 100); // PDV item length beyond the PDU
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Throws<PduException>(() => new PduReader(1 << 20).TryRead(ref buffer, out _));
    }

    [Fact]
    public void ItemLengthOverrunningTheAssociateRequestIsInvalid()
    {
        var bytes = FullRequest().ToArray();
        // The application context item starts right after the 74-byte fixed part; claim it is huge.
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(74 + 2), 0xFFFF);
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Throws<PduException>(() => new PduReader(1 << 20).TryRead(ref buffer, out _));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}

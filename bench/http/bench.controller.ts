import { Controller, Get, UseGuards } from '@nestjs/common';
import { ClientCertGuard } from '@client-cert-auth/core';
import { ClientCertPassportGuard } from '@client-cert-auth/core';
import { HandWrittenGuard } from './hand-written.guard';
import { RawVerifyGuard } from './raw-verify.guard';
import { TrivialGuard } from './trivial.guard';

/**
 * Routes that differ only by their guard, so the ratio of their req/s is the cost of the
 * guard itself. Each returns the same small constant body (no account data: the handler's own
 * cost must not differ between routes).
 */
@Controller()
export class BenchController {
  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('trivial')
  @UseGuards(TrivialGuard)
  trivial(): { ok: true } {
    return { ok: true };
  }

  @Get('guarded')
  @UseGuards(ClientCertGuard)
  guarded(): { ok: true } {
    return { ok: true };
  }

  @Get('passport')
  @UseGuards(ClientCertPassportGuard)
  passport(): { ok: true } {
    return { ok: true };
  }

  @Get('hand-written')
  @UseGuards(HandWrittenGuard)
  handWritten(): { ok: true } {
    return { ok: true };
  }

  @Get('raw-verify')
  @UseGuards(RawVerifyGuard)
  rawVerify(): { ok: true } {
    return { ok: true };
  }
}

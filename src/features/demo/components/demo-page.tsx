import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import {
  DEMO_TRAFFIC_MAX_PER_MINUTE,
  demoScenarios,
  type DemoScenario,
  type DemoScenarioOn,
  type DemoState,
} from '../../../../contracts/demo-schemas.ts';
import { Button, buttonClasses } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { inputClasses, labelClasses } from '../../../components/ui/form-field.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { PresenterToggle } from '../../../components/ui/presenter-toggle.tsx';
import { QueryStates } from '../../../components/ui/query-states.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { tspDisplayName } from '../../../lib/tsp-name.ts';
import { demoMutations, demoQueries } from '../api/demo-queries.ts';
import { scenarioSentence, scenarioWords, targetName } from '../demo-words.ts';

type Target = { connection_id: string } | { tsp: string };

/**
 * "/demo" (admins, demo mode only, decision 0047): make the simulator fail on purpose while a
 * customer watches — scenarios per TSP or per connection, background traffic, a reset — without
 * curl. Every state is in words ("Outage: on for Geotab"), never a colour alone.
 */
export function DemoPage() {
  const state = useQuery(demoQueries.state());
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900 dark:text-white">Demo</h1>
          <p className="mt-1 max-w-2xl text-sm text-slate-600 dark:text-slate-400">
            This console talks to the built-in Catena simulator. Switch failures on and off, make other systems write, and go back to the seed. What
            you switch here affects everyone using this console.
          </p>
        </div>
        <PresenterToggle showHint />
      </div>
      <QueryStates query={state} loading="Reading the simulator…" error={{ title: 'Could not read the simulator' }}>
        {(data) => <DemoControls state={data} />}
      </QueryStates>
    </div>
  );
}

function DemoControls({ state }: { state: DemoState }) {
  const tsps = [...new Set(state.connections.map((c) => c.tsp))].sort();
  return (
    <>
      <OnNow state={state} />
      <Panel title="Scenarios by provider" titleId="demo-by-tsp" description="A scenario for a provider affects every fleet on it.">
        <div className="divide-y divide-slate-200 dark:divide-slate-800">
          {tsps.map((tsp) => (
            <ScenarioSwitches key={tsp} name={tspDisplayName(tsp)} target={{ tsp }} state={state} />
          ))}
        </div>
      </Panel>
      <Panel title="Scenarios by connection" titleId="demo-by-connection" description="One fleet's connection only.">
        <div className="divide-y divide-slate-200 dark:divide-slate-800">
          {state.connections.map((connection) => (
            <ScenarioSwitches
              key={connection.id}
              name={targetName({ connection_id: connection.id, tsp: null }, state.connections)}
              target={{ connection_id: connection.id }}
              state={state}
            />
          ))}
        </div>
      </Panel>
      <TrafficControls state={state} />
      <ResetDemo />
    </>
  );
}

function OnNow({ state }: { state: DemoState }) {
  const switchOff = useMutation(demoMutations.switchOff());
  return (
    <Panel title="On now" titleId="demo-on-now">
      {switchOff.isError ? (
        <p role="alert" className="mx-4 mt-3 text-sm font-medium text-red-700 sm:mx-5 dark:text-red-400">
          Not switched off: {errorMessage(switchOff.error)}
        </p>
      ) : null}
      {state.scenarios.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-600 sm:px-5 dark:text-slate-400">Nothing is switched on: every fleet behaves normally.</p>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800">
          {state.scenarios.map((scenario) => {
            const sentence = scenarioSentence(scenario, state.connections);
            return (
              <li key={scenario.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 sm:px-5">
                <div>
                  <p className="text-sm font-medium text-slate-900 dark:text-slate-100">{sentence}</p>
                  <p className="text-xs text-slate-600 dark:text-slate-400">{scenarioWords[scenario.scenario].effect}</p>
                </div>
                <Button onClick={() => switchOff.mutate(scenario.id)} disabled={switchOff.isPending} aria-label={`Switch off: ${sentence}`}>
                  Switch off
                </Button>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}

function matching(state: DemoState, scenario: DemoScenario, target: Target): DemoScenarioOn | undefined {
  return state.scenarios.find((s) => s.scenario === scenario && ('tsp' in target ? s.tsp === target.tsp : s.connection_id === target.connection_id));
}

function ScenarioSwitches({ name, target, state }: { name: string; target: Target; state: DemoState }) {
  const switchOn = useMutation(demoMutations.switchOn());
  const switchOff = useMutation(demoMutations.switchOff());
  const headingId = useId();
  const failure = switchOn.error ?? switchOff.error;
  return (
    <fieldset className="px-4 py-3 sm:px-5" aria-labelledby={headingId}>
      <legend id={headingId} className="text-sm font-semibold text-slate-900 dark:text-slate-100">
        {name}
      </legend>
      <div className="mt-2 flex flex-wrap gap-x-5 gap-y-2">
        {demoScenarios.map((scenario) => {
          const on = matching(state, scenario, target);
          const words = `${scenarioWords[scenario].label}: ${on ? 'on' : 'off'}`;
          return (
            <label key={scenario} className="inline-flex cursor-pointer items-center gap-2 text-sm text-slate-700 dark:text-slate-200">
              <input
                type="checkbox"
                role="switch"
                aria-label={`${scenarioWords[scenario].label} for ${name}`}
                checked={Boolean(on)}
                aria-checked={Boolean(on)}
                disabled={switchOn.isPending || switchOff.isPending}
                onChange={() => (on ? switchOff.mutate(on.id) : switchOn.mutate({ scenario, ...target }))}
                className="size-4 accent-brand-600"
              />
              <span aria-hidden="true">{words}</span>
            </label>
          );
        })}
      </div>
      {failure ? (
        <p role="alert" className="mt-2 text-sm font-medium text-red-700 dark:text-red-400">
          Not changed: {errorMessage(failure)}
        </p>
      ) : null}
    </fieldset>
  );
}

function TrafficControls({ state }: { state: DemoState }) {
  const { traffic } = state;
  const setTraffic = useMutation(demoMutations.setTraffic());
  const [writes, setWrites] = useState(String(traffic.running ? traffic.writes_per_minute : 20));
  const [messages, setMessages] = useState(String(traffic.running ? traffic.messages_per_minute : 10));
  const writesId = useId();
  const messagesId = useId();
  const rate = (value: string) => Math.min(DEMO_TRAFFIC_MAX_PER_MINUTE, Math.max(0, Number(value) || 0));
  return (
    <Panel
      title="Background traffic"
      titleId="demo-traffic"
      description="Other systems write vehicles, trailers, users, fuel transactions and inspections; the fleets' dispatchers (several per fleet) message their drivers. The console sees them as operations it did not create."
    >
      <form
        className="space-y-4 px-4 py-4 sm:px-5"
        onSubmit={(event) => {
          event.preventDefault();
          setTraffic.mutate({ writes_per_minute: rate(writes), messages_per_minute: rate(messages) });
        }}
      >
        <p role="status" className="text-sm font-medium text-slate-900 dark:text-slate-100">
          {traffic.running
            ? `Traffic: running — ${traffic.writes_per_minute} writes and ${traffic.messages_per_minute} messages a minute; ${traffic.written} written so far.`
            : 'Traffic: stopped.'}
        </p>
        <div className="flex flex-wrap gap-4">
          <div>
            <label htmlFor={writesId} className={labelClasses}>
              Other systems' writes per minute
            </label>
            <input
              id={writesId}
              type="number"
              min={0}
              max={DEMO_TRAFFIC_MAX_PER_MINUTE}
              value={writes}
              onChange={(e) => setWrites(e.target.value)}
              className={`${inputClasses} mt-1 w-32`}
            />
          </div>
          <div>
            <label htmlFor={messagesId} className={labelClasses}>
              Dispatchers' messages per minute
            </label>
            <input
              id={messagesId}
              type="number"
              min={0}
              max={DEMO_TRAFFIC_MAX_PER_MINUTE}
              value={messages}
              onChange={(e) => setMessages(e.target.value)}
              className={`${inputClasses} mt-1 w-32`}
            />
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" variant="primary" disabled={setTraffic.isPending}>
            {traffic.running ? 'Change the rates' : 'Start traffic'}
          </Button>
          {traffic.running ? (
            <Button onClick={() => setTraffic.mutate({ writes_per_minute: 0, messages_per_minute: 0 })} disabled={setTraffic.isPending}>
              Stop traffic
            </Button>
          ) : null}
        </div>
        {setTraffic.isError ? (
          <p role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
            Traffic not changed: {errorMessage(setTraffic.error)}
          </p>
        ) : null}
      </form>
    </Panel>
  );
}

function ResetDemo() {
  const [confirming, setConfirming] = useState(false);
  const reset = useMutation(demoMutations.reset());
  const keepRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  return (
    <Panel title="Reset" titleId="demo-reset" description="Back to the simulator's seed: fleets, records and scenarios as at start, traffic off.">
      <div className="space-y-2 px-4 py-4 sm:px-5">
        <Button onClick={() => setConfirming(true)}>Reset the demo</Button>
        <div role="status" className="text-sm text-slate-700 empty:hidden dark:text-slate-300">
          {reset.isSuccess ? 'The demo is back to its seed.' : null}
        </div>
      </div>
      {confirming ? (
        <ConfirmDialog labelledBy={titleId} describedBy={descriptionId} onClose={() => setConfirming(false)} initialFocusRef={keepRef}>
          <h2 id={titleId} className="text-lg font-semibold text-slate-900 dark:text-white">
            Reset the demo to its seed?
          </h2>
          <p id={descriptionId} className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Every scenario you switched on goes off, background traffic stops, and the simulator's fleets and records go back to how they started. The
            console keeps what it recorded (operations, broadcasts, the audit log); writes still pending at the simulator are dropped there.
          </p>
          {reset.isError ? (
            <p role="alert" className="mt-3 text-sm font-medium text-red-700 dark:text-red-400">
              Not reset: {errorMessage(reset.error)}
            </p>
          ) : null}
          <div className="mt-5 flex flex-wrap justify-end gap-2">
            <button ref={keepRef} type="button" onClick={() => setConfirming(false)} className={buttonClasses()}>
              Keep it as it is
            </button>
            <Button variant="primary" disabled={reset.isPending} onClick={() => reset.mutate(undefined, { onSuccess: () => setConfirming(false) })}>
              Reset the demo
            </Button>
          </div>
        </ConfirmDialog>
      ) : null}
    </Panel>
  );
}

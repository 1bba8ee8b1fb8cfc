/**
 * Which fault scenario one mock is playing now, switched by `setScenario`. Shared by its CHAOS and
 * CQM halves, so one switch breaks both (unless `commands`/`excludeCommands` say otherwise).
 *
 * @module
 */

import { assertScenario, type ScenarioName, type ScenarioOptions, scenarioApplies } from './scenarios.ts';

/** The scenario being played, as one `setScenario` left it. */
export interface PlayingScenario {
  readonly name: ScenarioName;
  readonly options: ScenarioOptions;
}

/** One mock's scenario switch. */
export interface ScenarioState {
  /**
   * Switches scenario, from the next request on.
   * @throws {TypeError} for an unknown scenario name.
   * @throws {RangeError} for an out-of-range option.
   */
  set(name: ScenarioName, options?: ScenarioOptions): void;
  /** The scenario playing now. A request keeps the one it started under: see {@link isCurrent}. */
  current(): PlayingScenario;
  /**
   * Whether `playing` is still the current scenario. A request that started under an earlier one
   * answers as that one did, but must not touch the new scenario's counters.
   */
  isCurrent(playing: PlayingScenario): boolean;
}

/**
 * What `playing` means for the command `key` (`"subsystem/command"` or `"cqm/csv"`): its name when
 * its `commands`/`excludeCommands` let it play there, else `"normal"`.
 */
export function scenarioFor(playing: PlayingScenario, key: string): ScenarioName {
  return scenarioApplies(playing.options, key) ? playing.name : 'normal';
}

/** Creates a switch playing `normal`. */
export function createScenarioState(): ScenarioState {
  // A new object per switch, so identity tells a request whether its scenario is still the one.
  let playing: PlayingScenario = { name: 'normal', options: {} };
  return {
    set(name, options = {}) {
      assertScenario(name, options);
      playing = { name, options: { ...options } };
    },
    current: () => playing,
    isCurrent: (candidate) => candidate === playing,
  };
}

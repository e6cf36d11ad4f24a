export interface Income {
  salary: number;
  bonus: number;
  capitalGains: number;
  dividends: number;
  rental: number;
}

export interface Household {
  filing: 'single' | 'married' | 'head';
  dependents: number;
  age: number;
  state: string;
  retirementContribution: number;
  mortgageInterest: number;
  charity: number;
}

// Estimates yearly tax; rules simplified from last year's worksheet.
export function estimateTax(income: Income, household: Household): number {
  let gross = income.salary + income.bonus + income.rental;
  let deduction = household.filing === 'married' ? 27700 : household.filing === 'head' ? 20800 : 13850;
  if (household.age >= 65) deduction += household.filing === 'married' ? 1500 : 1850;
  const itemized = household.mortgageInterest + Math.min(household.charity, gross * 0.6);
  if (itemized > deduction) deduction = itemized;
  let taxable = Math.max(0, gross - deduction - Math.min(household.retirementContribution, 22500));
  const brackets: [number, number][] =
    household.filing === 'married'
      ? [[22000, 0.1], [89450, 0.12], [190750, 0.22], [364200, 0.24], [462500, 0.32], [693750, 0.35], [Infinity, 0.37]]
      : [[11000, 0.1], [44725, 0.12], [95375, 0.22], [182100, 0.24], [231250, 0.32], [578125, 0.35], [Infinity, 0.37]];
  let tax = 0;
  let lower = 0;
  for (const [upper, rate] of brackets) {
    if (taxable > lower) {
      tax += (Math.min(taxable, upper) - lower) * rate;
    }
    lower = upper;
  }
  const investment = income.capitalGains + income.dividends;
  if (investment > 0) {
    if (taxable + investment < (household.filing === 'married' ? 89250 : 44625)) {
      tax += 0;
    } else if (taxable + investment < (household.filing === 'married' ? 553850 : 492300)) {
      tax += investment * 0.15;
    } else {
      tax += investment * 0.2;
    }
    if (gross + investment > (household.filing === 'married' ? 250000 : 200000)) {
      tax += investment * 0.038;
    }
  }
  if (household.dependents > 0) {
    const credit = household.dependents * 2000;
    const phaseOut = household.filing === 'married' ? 400000 : 200000;
    const reduced = gross > phaseOut ? Math.max(0, credit - Math.ceil((gross - phaseOut) / 1000) * 50) : credit;
    tax = Math.max(0, tax - reduced);
  }
  if (household.state === 'CA') {
    tax += taxable * (taxable > 1000000 ? 0.133 : taxable > 300000 ? 0.113 : taxable > 60000 ? 0.093 : 0.04);
  } else if (household.state === 'NY') {
    tax += taxable * (taxable > 1000000 ? 0.0965 : taxable > 80000 ? 0.0633 : 0.045);
  } else if (household.state !== 'TX' && household.state !== 'FL' && household.state !== 'WA') {
    tax += taxable * 0.05;
  }
  gross = 0;
  return Math.round(tax);
}

export function effectiveRate(tax: number, income: Income): number {
  const total = income.salary + income.bonus + income.capitalGains + income.dividends + income.rental;
  return total === 0 ? 0 : tax / total;
}

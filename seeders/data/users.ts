import type { UserSeed } from './types';

/** Addresses people are expected to use when trying the demo (README: npm run token -- <email>). */
export const DEMO_USERS = {
  admin: 'admin@labshare.example',
  /** Manages the Bangkok structural biology lab, where the researcher's cryo-EM request awaits approval. */
  manager: 'pornthip.s@chula.example.ac.th',
  researcher: 'lan.nguyen@vnu.example.edu.vn',
} as const;

const cn = (email: string, name: string, institution: 'kib' | 'gxu'): UserSeed =>
  ({ email, name, institution, timeZone: 'Asia/Shanghai', locale: 'zh-CN' });

export const USERS: UserSeed[] = [
  { email: DEMO_USERS.admin, name: 'LabShare Platform Admin', institution: 'gxu', timeZone: 'Asia/Shanghai', locale: 'en', isAdmin: true },

  // Kunming, Asia/Shanghai
  cn('li.na@kib.example.ac.cn', '李娜', 'kib'),
  cn('wang.jun@kib.example.ac.cn', '王军', 'kib'),
  cn('chen.xiaoyu@kib.example.ac.cn', 'Chen Xiaoyu (陈晓雨)', 'kib'),
  cn('wu.hao@kib.example.ac.cn', '吴昊', 'kib'),
  cn('yang.li@kib.example.ac.cn', '杨丽', 'kib'),
  cn('sun.yue@kib.example.ac.cn', '孙悦', 'kib'),
  // Nanning, Asia/Shanghai
  cn('zhou.min@gxu.example.edu.cn', '周敏', 'gxu'),
  cn('liu.yang@gxu.example.edu.cn', '刘洋', 'gxu'),
  cn('huang.haitao@gxu.example.edu.cn', '黄海涛', 'gxu'),
  cn('zhao.lei@gxu.example.edu.cn', '赵磊', 'gxu'),

  // Bangkok
  { email: 'pornthip.s@chula.example.ac.th', name: 'Pornthip Srisuk (พรทิพย์ ศรีสุข)', institution: 'chula', timeZone: 'Asia/Bangkok', locale: 'th' },
  { email: 'kittipong.c@chula.example.ac.th', name: 'Kittipong Chaiyaporn', institution: 'chula', timeZone: 'Asia/Bangkok', locale: 'th' },
  { email: 'napat.r@chula.example.ac.th', name: 'Napat Rattanakorn', institution: 'chula', timeZone: 'Asia/Bangkok', locale: 'th' },
  { email: 'somsak.p@chula.example.ac.th', name: 'Somsak Phongphan', institution: 'chula', timeZone: 'Asia/Bangkok', locale: 'th' },

  // Hanoi
  { email: 'minh.tran@vnu.example.edu.vn', name: 'Trần Văn Minh', institution: 'vnu', timeZone: 'Asia/Ho_Chi_Minh', locale: 'vi' },
  { email: DEMO_USERS.researcher, name: 'Nguyễn Thị Lan', institution: 'vnu', timeZone: 'Asia/Ho_Chi_Minh', locale: 'vi' },
  { email: 'hoa.pham@vnu.example.edu.vn', name: 'Phạm Thu Hòa', institution: 'vnu', timeZone: 'Asia/Ho_Chi_Minh', locale: 'vi' },
  { email: 'thu.trang@vnu.example.edu.vn', name: 'Đỗ Thu Trang', institution: 'vnu', timeZone: 'Asia/Ho_Chi_Minh', locale: 'vi' },

  // Jakarta (Depok) and Makassar
  { email: 'dewi.lestari@ui.example.ac.id', name: 'Dewi Lestari', institution: 'ui', timeZone: 'Asia/Jakarta', locale: 'id' },
  { email: 'budi.santoso@ui.example.ac.id', name: 'Budi Santoso', institution: 'ui', timeZone: 'Asia/Jakarta', locale: 'id' },
  { email: 'rina.wijaya@ui.example.ac.id', name: 'Rina Wijaya', institution: 'ui', timeZone: 'Asia/Jakarta', locale: 'id' },
  { email: 'maya.putri@ui.example.ac.id', name: 'Maya Putri', institution: 'ui', timeZone: 'Asia/Jakarta', locale: 'id' },
  { email: 'andi.rahman@unhas.example.ac.id', name: 'Andi Rahman', institution: 'unhas', timeZone: 'Asia/Makassar', locale: 'id' },
  { email: 'nurul.hidayah@unhas.example.ac.id', name: 'Nurul Hidayah', institution: 'unhas', timeZone: 'Asia/Makassar', locale: 'id' },

  // Kuala Lumpur
  { email: 'siti.aminah@um.example.edu.my', name: 'Siti Aminah binti Yusof', institution: 'um', timeZone: 'Asia/Kuala_Lumpur', locale: 'ms' },
  { email: 'tan.weiling@um.example.edu.my', name: 'Tan Wei Ling', institution: 'um', timeZone: 'Asia/Kuala_Lumpur', locale: 'en' },
  { email: 'arjun.nair@um.example.edu.my', name: 'Arjun Nair', institution: 'um', timeZone: 'Asia/Kuala_Lumpur', locale: 'en' },
  { email: 'ahmad.faiz@um.example.edu.my', name: 'Ahmad Faiz bin Ismail', institution: 'um', timeZone: 'Asia/Kuala_Lumpur', locale: 'ms' },

  // Singapore
  { email: 'lim.jiahui@nus.example.edu.sg', name: 'Lim Jia Hui', institution: 'nus', timeZone: 'Asia/Singapore', locale: 'en' },
  { email: 'rajesh.kumar@nus.example.edu.sg', name: 'Rajesh Kumar', institution: 'nus', timeZone: 'Asia/Singapore', locale: 'en' },
  { email: 'ong.kaiwen@nus.example.edu.sg', name: 'Ong Kai Wen', institution: 'nus', timeZone: 'Asia/Singapore', locale: 'en' },

  // Quezon City
  { email: 'maria.santos@upd.example.edu.ph', name: 'Maria Santos', institution: 'upd', timeZone: 'Asia/Manila', locale: 'en' },
  { email: 'jose.reyes@upd.example.edu.ph', name: 'José Reyes', institution: 'upd', timeZone: 'Asia/Manila', locale: 'en' },
  { email: 'angelica.delacruz@upd.example.edu.ph', name: 'Angelica Dela Cruz', institution: 'upd', timeZone: 'Asia/Manila', locale: 'en' },
  { email: 'carlos.mendoza@upd.example.edu.ph', name: 'Carlos Mendoza', institution: 'upd', timeZone: 'Asia/Manila', locale: 'en' },

  // Yangon (+06:30)
  { email: 'aung.kyaw@uy.example.edu.mm', name: 'Aung Kyaw Moe', institution: 'uy', timeZone: 'Asia/Yangon', locale: 'my' },
  { email: 'thandar.win@uy.example.edu.mm', name: 'Thandar Win', institution: 'uy', timeZone: 'Asia/Yangon', locale: 'my' },
  { email: 'soe.min@uy.example.edu.mm', name: 'Soe Min Htet', institution: 'uy', timeZone: 'Asia/Yangon', locale: 'my' },
  { email: 'ei.ei.phyo@uy.example.edu.mm', name: 'Ei Ei Phyo', institution: 'uy', timeZone: 'Asia/Yangon', locale: 'my' },

  // Phnom Penh
  { email: 'sokha.chan@rupp.example.edu.kh', name: 'Chan Sokha', institution: 'rupp', timeZone: 'Asia/Phnom_Penh', locale: 'km' },
  { email: 'dara.kim@rupp.example.edu.kh', name: 'Kim Dara', institution: 'rupp', timeZone: 'Asia/Phnom_Penh', locale: 'km' },
  { email: 'sreymom.ly@rupp.example.edu.kh', name: 'Ly Sreymom', institution: 'rupp', timeZone: 'Asia/Phnom_Penh', locale: 'km' },
  { email: 'sophea.heng@rupp.example.edu.kh', name: 'Heng Sophea', institution: 'rupp', timeZone: 'Asia/Phnom_Penh', locale: 'km' },

  // Vientiane
  { email: 'souksavanh.p@nuol.example.edu.la', name: 'Souksavanh Phommachanh', institution: 'nuol', timeZone: 'Asia/Vientiane', locale: 'lo' },
  { email: 'khamla.s@nuol.example.edu.la', name: 'Khamla Sisouphanh', institution: 'nuol', timeZone: 'Asia/Vientiane', locale: 'lo' },
  { email: 'vilay.k@nuol.example.edu.la', name: 'Vilayphone Keomany', institution: 'nuol', timeZone: 'Asia/Vientiane', locale: 'lo' },

  // Bandar Seri Begawan
  { email: 'nurul.ain@ubd.example.edu.bn', name: 'Nurul Ain binti Haji Ahmad', institution: 'ubd', timeZone: 'Asia/Brunei', locale: 'ms' },
  { email: 'hafiz.osman@ubd.example.edu.bn', name: 'Muhammad Hafiz Osman', institution: 'ubd', timeZone: 'Asia/Brunei', locale: 'ms' },

  // Potsdam (Europe/Berlin, DST)
  { email: 'katrin.weber@mpimp.example.de', name: 'Katrin Weber', institution: 'mpimp', timeZone: 'Europe/Berlin', locale: 'en' },
  { email: 'jonas.becker@mpimp.example.de', name: 'Jonas Becker', institution: 'mpimp', timeZone: 'Europe/Berlin', locale: 'en' },
  { email: 'pham.duc@mpimp.example.de', name: 'Phạm Minh Đức', institution: 'mpimp', timeZone: 'Europe/Berlin', locale: 'vi' },
  { email: 'anna.schmidt@mpimp.example.de', name: 'Anna Schmidt', institution: 'mpimp', timeZone: 'Europe/Berlin', locale: 'en' },
];
